export { createKnowledgeSubgraph } from './server.js';

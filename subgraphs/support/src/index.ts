export { createSupportSubgraph } from './server.js';

export { createResolutionsSubgraph } from './server.js';

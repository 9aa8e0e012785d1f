export { createAnalyticsSubgraph } from './server.js';

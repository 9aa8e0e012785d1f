export { createCampaignsSubgraph } from './server.js';

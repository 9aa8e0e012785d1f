export { createIdentitySubgraph, type IdentityConfig } from './server.js';

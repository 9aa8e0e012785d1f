export { startGateway, type RunningGateway } from './server.js';
export type { GatewayOptions } from './options.js';
export { gatewayOptions, readEnvironment } from './environment.js';
export { subgraphFactories } from './subgraphs/registry.js';

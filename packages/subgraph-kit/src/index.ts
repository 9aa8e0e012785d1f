export {
  createSubgraph,
  type Subgraph,
  type SubgraphDefinition,
  type SubgraphDependencies,
  type SubgraphRuntime,
  type SubgraphHealthReport,
  type SubgraphRequest,
  type HealthStatus,
} from './subgraph.js';
export { createRequestContext, type RequestContext } from './request-context.js';
export { serveSubgraph, type StandaloneSubgraph } from './standalone-server.js';
export { loadTypeDefs, subgraphSdl, schemaDirectory } from './schema-files.js';
export { formatSubgraphError } from './format-error.js';
export { scalarResolvers } from './scalars.js';
export { VERSION } from './version.js';
export { subgraphNames, type SubgraphName } from './names.js';
export { mergeResolvers, lowerCaseEnumResolvers } from './resolver-maps.js';
export { mapStream } from './map-stream.js';
export { eventStream, SlowConsumerError, type EventStreamOptions } from './event-stream.js';

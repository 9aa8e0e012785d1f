export { createTestDatabase, testServerUrl, type TestDatabase } from './test-database.js';
export { nextWithin, startTestSubgraph, type GraphQLFailure, type TestSubgraph } from './test-subgraph.js';
export { testEnvironment } from './environment.js';

export { runScenario } from './run-scenario.js';
export { scenarios, GATEWAY_QUERY, IDENTITY_QUERY, type Scenario } from './scenarios.js';
export { runLoad, type LoadResult, type LoadTarget } from './load.js';
export type { ScenarioResult } from './report.js';
export { runSupportSuite, type SupportSuiteResult } from './support-suite.js';
export { seedSupport, SEARCHES, type SeedReport, type TenantSeed } from './support-seed.js';
export { runSubscriptionSuite, type SubscriptionSuiteResult } from './subscription-suite.js';

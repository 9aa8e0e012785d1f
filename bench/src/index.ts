export { runScenario } from './run-scenario.js';
export { scenarios, GATEWAY_QUERY, IDENTITY_QUERY, type Scenario } from './scenarios.js';
export { runLoad, type LoadResult, type LoadTarget } from './load.js';
export type { ScenarioResult } from './report.js';

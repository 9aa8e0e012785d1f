/**
 * `pnpm bench`: three suites, each writing its own section of BENCHMARKS.md.
 * - gateway: a cross-subgraph query through the gateway (in-process and remote subgraphs) and the
 *   owning subgraph alone;
 * - support: the conversation list and the customer search on 100k customers and 1M messages;
 * - subscriptions: 1k, 5k and 10k graphql-ws subscribers on one gateway, messages at a fixed rate.
 * BENCH_SUITES=gateway (or support, or subscriptions, or a comma-separated list) runs some of them.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Cleanup } from './src/cleanup.js';
import { readBenchSettings, type BenchSettings } from './src/environment.js';
import { describeMachine, type Machine } from './src/machine.js';
import { REPOSITORY_ROOT } from './src/processes.js';
import { benchmarkSection, cpuLines, failureLines, resultsTable, writeSection, type ScenarioResult } from './src/report.js';
import { runScenario } from './src/run-scenario.js';
import { scenarios } from './src/scenarios.js';
import { SUPPORT_SECTION, supportFailures, supportSection, supportTable } from './src/support-report.js';
import { runSupportSuite, type SupportSuiteResult } from './src/support-suite.js';
import {
  SUBSCRIPTIONS_SECTION,
  subscriptionCpuLines,
  subscriptionFailures,
  subscriptionSection,
  subscriptionTable,
} from './src/subscription-report.js';
import { runSubscriptionSuite } from './src/subscription-suite.js';

const BENCHMARKS_PATH = join(REPOSITORY_ROOT, 'BENCHMARKS.md');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and dropping the databases`);
    void Cleanup.releaseAll().finally(() => process.exit(130));
  });
}

/** A suite's figures, and how to write them once the whole run is over (only if none failed). */
interface SuiteOutcome {
  name: string;
  failures: string[];
  write(runSeconds: number): void;
}

async function gatewaySuite(settings: BenchSettings, machine: Machine, date: Date): Promise<SuiteOutcome> {
  const started = performance.now();
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario, settings));
  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${resultsTable(results)}\n\nCPU used during the measured runs, in cores:\n${cpuLines(results, machine.cores)}`);
  console.log(`\nThe gateway suite took ${seconds.toFixed(0)} s.`);
  return {
    name: 'gateway',
    failures: failureLines(results),
    write: () => writeSection(BENCHMARKS_PATH, benchmarkSection({ machine, date, settings, results, runSeconds: seconds })),
  };
}

async function supportSuite(settings: BenchSettings, machine: Machine, date: Date): Promise<SuiteOutcome> {
  const suite: SupportSuiteResult = await runSupportSuite(settings);
  console.log(`\n${supportTable(suite)}\n\nCPU used during the measured runs, in cores:\n${cpuLines(suite.results, machine.cores)}`);
  console.log(`\nThe support suite took ${suite.seconds.toFixed(0)} s, generating the data ${suite.seed.seconds.toFixed(0)} s.`);
  const failures = supportFailures(suite);
  if (suite.results.length === 0) failures.push('support: no query was measured');
  return {
    name: 'support',
    failures,
    write: (runSeconds) => writeSection(BENCHMARKS_PATH, supportSection({ machine, date, settings, suite, runSeconds }), SUPPORT_SECTION),
  };
}

async function subscriptionsSuite(settings: BenchSettings, machine: Machine, date: Date): Promise<SuiteOutcome> {
  const suite = await runSubscriptionSuite(settings);
  console.log(`\n${subscriptionTable(suite)}\n\nCPU while the messages flowed, in cores:\n${subscriptionCpuLines(suite, machine.cores)}`);
  console.log(`\nThe subscriptions suite took ${suite.seconds.toFixed(0)} s.`);
  return {
    name: 'subscriptions',
    failures: subscriptionFailures(suite),
    write: (runSeconds) => writeSection(BENCHMARKS_PATH, subscriptionSection({ machine, date, suite, runSeconds }), SUBSCRIPTIONS_SECTION),
  };
}

async function main(): Promise<number> {
  const started = performance.now();
  const date = new Date();
  const settings = readBenchSettings();
  const machine = await describeMachine(settings.databaseServerUrl, settings.redisUrl, REPOSITORY_ROOT);
  console.log(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}`);
  console.log(`Suites: ${settings.suites.join(', ')}`);
  const outcomes: SuiteOutcome[] = [];
  if (settings.suites.includes('gateway')) outcomes.push(await gatewaySuite(settings, machine, date));
  if (settings.suites.includes('support')) outcomes.push(await supportSuite(settings, machine, date));
  if (settings.suites.includes('subscriptions')) outcomes.push(await subscriptionsSuite(settings, machine, date));
  const runSeconds = (performance.now() - started) / 1000;
  console.log(`\nThe run took ${runSeconds.toFixed(0)} s.`);

  const failures = outcomes.flatMap((outcome) => outcome.failures);
  if (failures.length > 0) {
    console.error(`\nFAILED, ${BENCHMARKS_PATH} left as it was:\n${failures.join('\n')}`);
    return 1;
  }
  for (const outcome of outcomes) outcome.write(runSeconds);
  console.log(`Wrote ${BENCHMARKS_PATH} (${outcomes.map((outcome) => outcome.name).join(', ')})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    console.error(error);
    await Cleanup.releaseAll();
    process.exit(1);
  },
);

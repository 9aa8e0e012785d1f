/**
 * `pnpm bench`: a cross-subgraph query through the gateway (in-process and remote subgraphs)
 * and the owning subgraph alone, under autocannon on loopback; results go to BENCHMARKS.md.
 */
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { Cleanup } from './src/cleanup.js';
import { readBenchSettings } from './src/environment.js';
import { describeMachine } from './src/machine.js';
import { REPOSITORY_ROOT } from './src/processes.js';
import { benchmarkSection, cpuLines, failureLines, resultsTable, writeSection, type ScenarioResult } from './src/report.js';
import { runScenario } from './src/run-scenario.js';
import { scenarios } from './src/scenarios.js';

const BENCHMARKS_PATH = join(REPOSITORY_ROOT, 'BENCHMARKS.md');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: stopping the servers and dropping the databases`);
    void Cleanup.releaseAll().finally(() => process.exit(130));
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const date = new Date();
  const settings = readBenchSettings();
  const machine = await describeMachine(settings.databaseServerUrl, settings.redisUrl, REPOSITORY_ROOT);
  console.log(`${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB.toFixed(1)} GiB, Node ${machine.node}`);
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) results.push(await runScenario(scenario, settings));
  const runSeconds = (performance.now() - started) / 1000;

  console.log(`\n${resultsTable(results)}\n\nCPU used during the measured runs, in cores:\n${cpuLines(results, machine.cores)}`);
  console.log(`\nThe run took ${runSeconds.toFixed(0)} s.`);
  const failures = failureLines(results);
  if (failures.length > 0) {
    console.error(`\nFAILED, ${BENCHMARKS_PATH} left as it was:\n${failures.join('\n')}`);
    return 1;
  }
  writeSection(BENCHMARKS_PATH, benchmarkSection({ machine, date, settings, results, runSeconds }));
  console.log(`Wrote ${BENCHMARKS_PATH}`);
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

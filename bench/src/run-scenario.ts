import { performance } from 'node:perf_hooks';
import { Cleanup } from './cleanup.js';
import { busyElsewhere, coresUsed, cpuSnapshot, DISTURBANCE_CORES, type CpuUse } from './cpu.js';
import type { BenchSettings } from './environment.js';
import { runLoad, type LoadResult, type LoadTarget } from './load.js';
import type { ScenarioResult } from './report.js';
import { deployScenario, type Scenario } from './scenarios.js';
import { createBenchTenant } from './tenant.js';
import { probe, probeAgain } from './verify.js';

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

const QUIET_WAIT_MS = 120_000;
/** Measurements disturbed by other work on the machine are taken again, up to this many in all. */
const MEASURE_ATTEMPTS = 3;
const REWARM_SECONDS = 3;
export const WARMUP_ROUND_SECONDS = 5;
const MAX_WARMUP_SECONDS = 90;
/** A warm-up round less than this much faster than the one before counts as steady. */
export const STEADY_GAIN = 0.05;

/** Waits (a while) until no other work keeps the machine's cores busy, so it does not skew the run; true if it waited. */
async function waitForQuiet(groups: Map<number, string>): Promise<boolean> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  let busy = await busyElsewhere(groups, 1);
  if (busy < DISTURBANCE_CORES) return false;
  console.log(`  other work uses ${busy.toFixed(2)} cores; waiting up to ${QUIET_WAIT_MS / 1000} s for the machine to be quiet`);
  const waiting = Date.now();
  while (busy >= DISTURBANCE_CORES && Date.now() < deadline) busy = await busyElsewhere(groups, 2);
  if (busy >= DISTURBANCE_CORES) console.warn(`  the machine is still busy with other work (${busy.toFixed(2)} cores); measuring anyway`);
  else console.log(`  quiet after ${((Date.now() - waiting) / 1000).toFixed(0)} s`);
  return true;
}

/**
 * Unrecorded load until throughput levels off: the servers run TypeScript through tsx, and V8 takes a while
 * to optimise it, longest when seven processes share two cores. At least `warmupSeconds`, then rounds of
 * a few seconds until an undisturbed round is not clearly faster than the one before.
 */
async function warmUp(
  target: () => Promise<LoadTarget>,
  settings: BenchSettings,
  groups: Map<number, string>,
  minimumSeconds: number,
): Promise<number> {
  const run = async (durationSeconds: number): Promise<{ rate: number; disturbed: boolean }> => {
    const before = cpuSnapshot(groups);
    const round = await runLoad(await target(), { connections: settings.connections, durationSeconds });
    if (round.failures > 0) {
      throw new Error(`${round.failures} of ${round.totalRequests} warm-up responses failed (non-2xx, wrong body or connection error)`);
    }
    const other = coresUsed(before, cpuSnapshot(groups), round.durationSeconds).find((row) => row.name === 'other')?.cores ?? 0;
    return { rate: round.requestsPerSecond, disturbed: other >= DISTURBANCE_CORES };
  };
  let total = minimumSeconds;
  let previous = await run(minimumSeconds);
  const rates = [previous.rate];
  while (total + WARMUP_ROUND_SECONDS <= MAX_WARMUP_SECONDS) {
    const current = await run(WARMUP_ROUND_SECONDS);
    total += WARMUP_ROUND_SECONDS;
    rates.push(current.rate);
    if (!current.disturbed && !previous.disturbed && current.rate < previous.rate * (1 + STEADY_GAIN)) break;
    previous = current;
  }
  console.log(`  warmed up for ${total} s (requests/s per round: ${rates.map((rate) => rate.toFixed(0)).join(', ')})`);
  return total;
}

/** What one target gave under load: the least disturbed measured run, and how long it warmed up. */
export interface Measurement {
  warmupSeconds: number;
  load: LoadResult;
  cpu: CpuUse[];
}

/**
 * Waits for a quiet machine, warms `current` up (at least `minimumWarmupSeconds`, then until it levels off),
 * measures it up to three times while other work disturbs the run, and checks the answer is still the probe's.
 */
export async function measureTarget(
  current: () => Promise<LoadTarget>,
  settings: BenchSettings,
  groups: Map<number, string>,
  minimumWarmupSeconds: number = settings.warmupSeconds,
): Promise<Measurement> {
  await waitForQuiet(groups);
  const warmupSeconds = await warmUp(current, settings, groups, minimumWarmupSeconds);

  // Kept: a failed attempt at once, else the least disturbed one.
  let kept: { load: LoadResult; cpu: CpuUse[]; other: number } | undefined;
  for (let attempt = 1; attempt <= MEASURE_ATTEMPTS; attempt++) {
    // Idle pool connections close after 30 s: after a wait, warm up again briefly.
    if (attempt > 1 && (await waitForQuiet(groups))) {
      await runLoad(await current(), { connections: settings.connections, durationSeconds: REWARM_SECONDS });
    }
    console.log(`  measuring for ${settings.durationSeconds} s with ${settings.connections} connections`);
    const before = cpuSnapshot(groups);
    const measuring = performance.now();
    const load = await runLoad(await current(), { connections: settings.connections, durationSeconds: settings.durationSeconds });
    const cpu = coresUsed(before, cpuSnapshot(groups), (performance.now() - measuring) / 1000);
    const other = cpu.find((row) => row.name === 'other')?.cores ?? 0;
    console.log(
      `  ${load.requestsPerSecond.toFixed(0)} requests/s, p50 ${load.latencyMs.p50.toFixed(1)} ms; each second: ${load.perSecond.join(' ')}`,
    );
    if (load.failures > 0) {
      console.error(
        `  FAILED: ${load.non2xx} non-2xx, ${load.wrongBodies} bodies other than the probe's, ${load.transportErrors} connection errors`,
      );
      kept = { load, cpu, other };
      break;
    }
    if (!kept || other < kept.other) kept = { load, cpu, other };
    if (other < DISTURBANCE_CORES) break;
    console.warn(`  other work used ${other.toFixed(2)} cores during the run, which disturbs the figures`);
  }
  await probeAgain(await current());
  const { load, cpu } = kept!;
  return { warmupSeconds, load, cpu };
}

/** Deploys one scenario on a fresh database, sets up its tenant, warms up, measures, and tears everything down. */
export async function runScenario(scenario: Scenario, settings: BenchSettings): Promise<ScenarioResult> {
  const cleanup = new Cleanup();
  const started = performance.now();
  try {
    console.log(`\n${scenario.name}: starting ${scenario.topology}`);
    const deployment = await deployScenario(scenario, settings, cleanup);
    console.log(`  servers ready after ${seconds(started)}`);
    const tenant = await createBenchTenant(deployment.gatewayUrl);
    const target = await deployment.target(tenant);
    const probed = await probe(target, tenant);
    const current = async (): Promise<LoadTarget> => ({ ...probed, headers: await target.headers() });
    const groups = new Map(deployment.servers().map((server) => [server.pid, server.name]));
    console.log(`  tenant set up and probe answered after ${seconds(started)}; warming up`);
    const { warmupSeconds, load, cpu } = await measureTarget(current, settings, groups);
    console.log(`  done after ${seconds(started)}`);
    return { name: scenario.name, topology: scenario.topology, warmupSeconds, load, cpu };
  } finally {
    await cleanup.release();
  }
}

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DISTURBANCE_CORES, type CpuUse } from './cpu.js';
import type { BenchSettings } from './environment.js';
import type { LoadResult } from './load.js';
import type { Machine } from './machine.js';
import { STEADY_GAIN, WARMUP_ROUND_SECONDS } from './run-scenario.js';
import { GATEWAY_QUERY, IDENTITY_QUERY } from './scenarios.js';

export interface ScenarioResult {
  name: string;
  topology: string;
  /** Seconds of unrecorded load before the measured run. */
  warmupSeconds: number;
  load: LoadResult;
  /** Cores used per process group during the measured run, busiest first. */
  cpu: CpuUse[];
}

/** Where a section of BENCHMARKS.md starts and ends; `pnpm bench` rewrites only what lies between. */
export interface SectionMarkers {
  start: string;
  end: string;
}

export function sectionMarkers(name: string): SectionMarkers {
  return {
    start: `<!-- bench:${name}:start (written by \`pnpm bench\`; edits inside are overwritten) -->`,
    end: `<!-- bench:${name}:end -->`,
  };
}

const GATEWAY_SECTION = sectionMarkers('gateway-cross-subgraph');
const START = GATEWAY_SECTION.start;
const END = GATEWAY_SECTION.end;
const INTRO = `# Benchmarks

Figures written by \`pnpm bench\` (bench/run.ts). Each section says the machine and the date it was measured on.
`;

export const ms = (value: number): string => value.toFixed(1);

/** A Markdown table with padded columns, so it reads in a terminal too; all but the first column right-aligned. */
export function markdownTable(header: string[], rows: string[][], rightAligned = true): string {
  const widths = header.map((cell, column) => Math.max(cell.length, 3, ...rows.map((row) => row[column]!.length)));
  const right = (column: number): boolean => rightAligned && column > 0;
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, column) => (right(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (right(column) ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function resultsTable(results: ScenarioResult[]): string {
  return markdownTable(
    ['scenario', 'requests/s (mean)', 'slowest–fastest second', 'p50 ms', 'p95 ms', 'p99 ms', 'requests', 'errors'],
    results.map(({ name, load }) => [
      name,
      load.requestsPerSecond.toFixed(0),
      load.perSecond.length > 0 ? `${Math.min(...load.perSecond)}–${Math.max(...load.perSecond)}` : 'n/a',
      ms(load.latencyMs.p50),
      ms(load.latencyMs.p95),
      ms(load.latencyMs.p99),
      String(load.totalRequests),
      String(load.failures),
    ]),
  );
}

export function machineTable(machine: Machine): string {
  return markdownTable(
    ['machine', ''],
    [
      ['CPU', `${machine.cpuModel}, ${machine.cores} cores`],
      ['memory', `${machine.memoryGiB.toFixed(1)} GiB`],
      ['Node', machine.node],
      ['PostgreSQL', machine.postgres],
      ['Redis', machine.redis],
      ['code', machine.revision],
    ],
    false,
  );
}

export function cpuLines(results: ScenarioResult[], cores: number): string {
  return results
    .map(({ name, topology, warmupSeconds, cpu }) => {
      const used = cpu
        .filter((row) => row.cores >= 0.005)
        .map((row) => `${row.name} ${row.cores.toFixed(2)}`)
        .join(', ');
      const other = cpu.find((row) => row.name === 'other')?.cores ?? 0;
      const disturbed = other >= DISTURBANCE_CORES ? ' **Disturbed: other work on the machine ran during this run.**' : '';
      return `- **${name}** (${topology}; warmed up for ${warmupSeconds} s): ${used || 'not measured (no /proc)'}; of ${cores} cores.${disturbed}`;
    })
    .join('\n');
}

export function failureLines(results: ScenarioResult[]): string[] {
  return results
    .filter(({ load }) => load.failures > 0)
    .map(
      ({ name, load }) =>
        `${name}: ${load.non2xx} non-2xx, ${load.wrongBodies} bodies other than the probe's (GraphQL errors), ${load.transportErrors} connection errors or timeouts`,
    );
}

export function benchmarkSection(options: {
  machine: Machine;
  date: Date;
  settings: BenchSettings;
  results: ScenarioResult[];
  runSeconds: number;
}): string {
  const { machine, settings, results } = options;
  return `${START}

## Gateway: cross-subgraph query (issue 2)

Measured ${options.date.toISOString()} by \`pnpm bench\`; the whole run took ${Math.round(options.runSeconds)} s.

${machineTable(machine)}

Load: autocannon on 127.0.0.1, ${settings.connections} keep-alive connections, ${settings.durationSeconds} s measured after an unrecorded warm-up (at least ${settings.warmupSeconds} s, then rounds of ${WARMUP_ROUND_SECONDS} s until an undisturbed round is less than ${STEADY_GAIN * 100} % faster than the one before), in the benchmark's own process on the same cores as the servers. Each scenario runs on a fresh database with one tenant registered over REST, its admin a member of three teams, and analytics caught up; every server runs with \`NODE_ENV=production\`, \`LOG_LEVEL=warn\`, Redis (event bus and rate-limit counters) and the default pool of 5 connections per subgraph. Every response was compared byte for byte with a probe checked before the run (HTTP 200, no errors, the tenant's data), and probed again after.

The gateway scenarios send, with the admin's access token (identity owns \`Tenant\`, \`User\` and \`Team\`; analytics adds \`Tenant.activity\`):

\`\`\`
${GATEWAY_QUERY}
\`\`\`

The identity subgraph alone answers the identity part, with the signed caller assertion the gateway would send:

\`\`\`
${IDENTITY_QUERY}
\`\`\`

${resultsTable(results)}

Latencies are nearest-rank percentiles of every response; requests/s is autocannon's mean of per-second counts, next to the slowest and the fastest second of the run; errors are non-2xx responses, bodies other than the probe's, and connection errors.

How long each scenario warmed up, and the CPU it used during the measured run, in cores (from /proc; "other" is the rest of the machine's busy time):

${cpuLines(results, machine.cores)}

${END}
`;
}

/** Replaces a section of BENCHMARKS.md (or appends it), keeping everything else as written. */
export function writeSection(path: string, section: string, markers: SectionMarkers = GATEWAY_SECTION): void {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : INTRO;
  const start = current.indexOf(markers.start.slice(0, markers.start.indexOf(' (')));
  const end = current.indexOf(markers.end);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + markers.end.length).replace(/^\n/, '')
      : `${current.trimEnd()}\n\n${section}`;
  writeFileSync(path, next);
}

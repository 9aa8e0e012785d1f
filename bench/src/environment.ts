import { testEnvironment } from '@deskgraph/testing';

/** The only place the benchmark reads the environment. */
function positiveInteger(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be an integer from 1 to ${max}, got "${raw}"`);
  return value;
}

export interface BenchSettings {
  /** Seconds of the measured run of each scenario (BENCH_DURATION). */
  durationSeconds: number;
  /** Seconds of unrecorded warm-up at least, before it (BENCH_WARMUP); more while throughput still climbs. */
  warmupSeconds: number;
  /** Concurrent keep-alive connections of the load generator (BENCH_CONNECTIONS). */
  connections: number;
  /** The PostgreSQL server the scenarios create their databases on (TEST_DATABASE_URL). */
  databaseServerUrl: string;
  /** The Redis every server process shares (TEST_REDIS_URL). */
  redisUrl: string;
}

export function readBenchSettings(): BenchSettings {
  return {
    // Caller assertions live 300 s; a longer run would outlive the standalone scenario's token.
    durationSeconds: positiveInteger('BENCH_DURATION', 10, 240),
    warmupSeconds: positiveInteger('BENCH_WARMUP', 15, 90),
    connections: positiveInteger('BENCH_CONNECTIONS', 10, 1000),
    databaseServerUrl: testEnvironment.databaseServerUrl,
    redisUrl: testEnvironment.redisUrl,
  };
}

/** What a spawned server inherits from this process: enough to find tools, nothing that configures it. */
export function inheritedEnvironment(): Record<string, string> {
  const inherited: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) {
    const value = process.env[key];
    if (value !== undefined) inherited[key] = value;
  }
  return inherited;
}

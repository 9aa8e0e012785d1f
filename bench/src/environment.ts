import { testEnvironment } from '@deskgraph/testing';

/** The only place the benchmark reads the environment. */
function positiveInteger(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be an integer from 1 to ${max}, got "${raw}"`);
  return value;
}

/** A comma-separated list of positive integers, e.g. `1000,5000,10000`. */
function positiveIntegers(name: string, fallback: number[], max: number): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const values = raw.split(',').map((part) => Number(part.trim()));
  if (values.some((value) => !Number.isInteger(value) || value < 1 || value > max)) {
    throw new Error(`${name} must be a comma-separated list of integers from 1 to ${max}, got "${raw}"`);
  }
  return values;
}

/** The groups of scenarios `pnpm bench` can run, each writing its own section of BENCHMARKS.md. */
export const benchSuites = ['gateway', 'support', 'subscriptions'] as const;
export type BenchSuite = (typeof benchSuites)[number];

function suites(): BenchSuite[] {
  const raw = process.env.BENCH_SUITES;
  if (raw === undefined || raw.trim() === '') return [...benchSuites];
  const names = raw.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(benchSuites as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`BENCH_SUITES must be a comma-separated list of ${benchSuites.join(', ')}, got "${raw}"`);
  }
  return benchSuites.filter((suite) => names.includes(suite));
}

/** Sockets per level: each side of loopback holds one per subscriber, within the usual 20000 open files. */
const MAX_SUBSCRIBERS = 15_000;

export interface BenchSettings {
  /** Which suites run (BENCH_SUITES, default all: gateway,support,subscriptions). */
  suites: BenchSuite[];
  /** Customers the support suite generates for its tenant (BENCH_SUPPORT_CUSTOMERS), 2 conversations and 10 messages each. */
  supportCustomers: number;
  /** How many subscribers the subscriptions suite connects, one level after another (BENCH_SUBSCRIBERS). */
  subscribers: number[];
  /** Messages per second the subscriptions suite sends while measuring (BENCH_EVENT_RATE). */
  eventRate: number;
  /** Agents whose tokens the subscribers use (BENCH_SUBSCRIBER_AGENTS): each message is resolved once per agent. */
  subscriberAgents: number;
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
    suites: suites(),
    supportCustomers: positiveInteger('BENCH_SUPPORT_CUSTOMERS', 100_000, 1_000_000),
    subscribers: positiveIntegers('BENCH_SUBSCRIBERS', [1000, 5000, 10_000], MAX_SUBSCRIBERS),
    eventRate: positiveInteger('BENCH_EVENT_RATE', 20, 1000),
    subscriberAgents: positiveInteger('BENCH_SUBSCRIBER_AGENTS', 1, 100),
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

/** The database `pnpm seed:support` fills when no --database-url is given (DATABASE_URL). */
export function seedDatabaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

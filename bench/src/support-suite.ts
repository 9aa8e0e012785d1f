import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Cleanup } from './cleanup.js';
import type { BenchSettings } from './environment.js';
import { postGraphql } from './http.js';
import type { LoadTarget } from './load.js';
import type { ScenarioResult } from './report.js';
import { measureTarget, WARMUP_ROUND_SECONDS } from './run-scenario.js';
import { prepareDeployment, startGatewayProcess } from './scenarios.js';
import { StatementLog } from './statement-log.js';
import { supportScenarios, type SupportScenario } from './support-scenarios.js';
import { OTHER_TENANT_CUSTOMERS, seedSupport, type SeedReport } from './support-seed.js';
import { createBenchTenant } from './tenant.js';

export const SEQUENTIAL_REQUESTS = 20;
const COUNTED_REQUESTS = 3;
const STATEMENT_RUNS = 5;

export const SUPPORT_TOPOLOGY = 'one process: the gateway with all six subgraphs in it';

export interface SupportScenarioResult extends ScenarioResult {
  query: string;
  /** The answer's totalCount (checked against the tables). */
  totalCount: number;
  /** Latency of one request at a time: the median (and range) of 20 in a row, in ms. */
  sequentialMs: { median: number; min: number; max: number };
  /** The SQL behind one request, if the server's log could be read. */
  statements: StatementProfile | null;
}

export interface TimedStatement {
  sql: string;
  /** Median wall time of running it alone from the benchmark's own connection, in ms. */
  medianMs: number;
}

export interface StatementProfile {
  /** Statements naming the tenant, per request (the same for each of the requests counted). */
  perRequest: number;
  statements: TimedStatement[];
  /** The statements' times added up (some run concurrently within a request). */
  postgresMs: number;
}

export interface SupportSuiteResult {
  customers: number;
  otherCustomers: number;
  seed: SeedReport;
  results: SupportScenarioResult[];
  /** Why statements were not counted, when they were not. */
  statementsUnavailable: string | null;
  /** EXPLAIN (ANALYZE, BUFFERS) of the slowest statement of the slowest query. */
  slowest: { scenario: string; statement: TimedStatement; plan: string } | null;
  seconds: number;
}

const since = (start: number): string => `${((performance.now() - start) / 1000).toFixed(1)} s`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function send(target: LoadTarget): Promise<string> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 200 || text !== target.expectedBody)
    throw new Error(`the answer changed (HTTP ${response.status}):\n${text.slice(0, 500)}`);
  return text;
}

/** Checks the answer against the tables, twice (it must be stable to compare bodies), and returns the load target. */
async function probeScenario(scenario: SupportScenario, url: string, accessToken: string, client: pg.Client, tenantId: string) {
  const reference = await scenario.reference(client, tenantId);
  const headers = { authorization: `Bearer ${accessToken}` };
  const first = await postGraphql(url, scenario.query, headers);
  const problem =
    first.status !== 200
      ? `HTTP ${first.status}`
      : first.body.errors?.length
        ? 'the answer has errors'
        : scenario.check(first.body.data, reference);
  if (problem) throw new Error(`${scenario.name}: the probe request failed: ${problem}\n${first.text.slice(0, 2000)}`);
  const second = await postGraphql(url, scenario.query, headers);
  if (second.text !== first.text) throw new Error(`${scenario.name}: the answer is not stable, so bodies cannot be compared`);
  const target: LoadTarget = { url, headers, body: JSON.stringify({ query: scenario.query }), expectedBody: first.text };
  return { target, totalCount: reference.totalCount };
}

async function sequentialLatency(target: LoadTarget): Promise<SupportScenarioResult['sequentialMs']> {
  for (let warm = 0; warm < 2; warm++) await send(target);
  const times: number[] = [];
  for (let request = 0; request < SEQUENTIAL_REQUESTS; request++) {
    const started = performance.now();
    await send(target);
    times.push(performance.now() - started);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

async function timeStatement(client: pg.Client, sql: string): Promise<number> {
  await client.query(sql);
  const times: number[] = [];
  for (let run = 0; run < STATEMENT_RUNS; run++) {
    const started = performance.now();
    await client.query(sql);
    times.push(performance.now() - started);
  }
  return median(times);
}

/** Sends each query to a gateway whose statements PostgreSQL logs, and reads back the SQL of each request. */
async function profileStatements(
  log: StatementLog,
  gatewayUrl: string,
  targets: LoadTarget[],
  tenantId: string,
  client: pg.Client,
): Promise<StatementProfile[]> {
  const profiles: StatementProfile[] = [];
  for (const probed of targets) {
    const target = { ...probed, url: `${gatewayUrl}/graphql` };
    // The first requests of a fresh process may load what later ones find cached.
    for (let warm = 0; warm < 2; warm++) await send(target);
    let statements: string[] = [];
    const counts: number[] = [];
    for (let request = 0; request < COUNTED_REQUESTS; request++) {
      const from = log.offset();
      await send(target);
      await new Promise((resolve) => setTimeout(resolve, 200));
      statements = log.statementsSince(from, tenantId);
      counts.push(statements.length);
    }
    const timed: TimedStatement[] = [];
    for (const sql of statements) timed.push({ sql, medianMs: await timeStatement(client, sql) });
    profiles.push({
      perRequest: counts.reduce((sum, count) => sum + count, 0) / counts.length,
      statements: timed,
      postgresMs: timed.reduce((sum, statement) => sum + statement.medianMs, 0),
    });
  }
  return profiles;
}

/**
 * The support suite: one in-process gateway on a fresh database; two tenants registered over REST; the big
 * dataset generated for the first and a little one for the second; then each query of `supportScenarios`
 * checked against the tables, warmed up, measured, and timed one request at a time; finally the SQL of
 * each query counted through a second gateway whose statements PostgreSQL logs, and the slowest explained.
 */
export async function runSupportSuite(settings: BenchSettings): Promise<SupportSuiteResult> {
  const started = performance.now();
  const cleanup = new Cleanup();
  try {
    console.log(`\nsupport: starting ${SUPPORT_TOPOLOGY}`);
    const context = await prepareDeployment(settings, cleanup);
    let gateway = await startGatewayProcess(context, {});
    const tenant = await createBenchTenant(gateway.url);
    const other = await createBenchTenant(gateway.url);
    console.log(`  gateway ready and two tenants registered after ${since(started)}; generating the data`);
    const seed = await seedSupport(
      context.databaseUrl,
      { tenantId: tenant.tenantId, agentId: tenant.userId, customers: settings.supportCustomers },
      [{ tenantId: other.tenantId, agentId: other.userId, customers: OTHER_TENANT_CUSTOMERS }],
      (line) => console.log(line),
    );
    console.log(
      `  seeded in ${seed.seconds.toFixed(1)} s: ${Object.entries(seed.rows)
        .map(([table, rows]) => `${rows} ${table}`)
        .join(', ')}`,
    );

    const client = new pg.Client({ connectionString: context.databaseUrl });
    await client.connect();
    cleanup.defer('close the reference connection', () => client.end());
    const probes = [];
    for (const scenario of supportScenarios) {
      const probe = await probeScenario(scenario, `${gateway.url}/graphql`, tenant.accessToken, client, tenant.tenantId);
      console.log(`  ${scenario.name}: totalCount ${probe.totalCount}, as the tables say`);
      probes.push(probe);
    }

    const groups = new Map([[gateway.pid, gateway.name]]);
    const results: SupportScenarioResult[] = [];
    for (const [index, scenario] of supportScenarios.entries()) {
      const { target, totalCount } = probes[index]!;
      console.log(`\nsupport, ${scenario.name}: warming up`);
      // Later queries run in an already warm process: a shorter first round, then rounds until steady.
      const measured = await measureTarget(
        async () => target,
        settings,
        groups,
        index === 0 ? settings.warmupSeconds : WARMUP_ROUND_SECONDS,
      );
      const sequentialMs = await sequentialLatency(target);
      console.log(`  one request at a time: median ${sequentialMs.median.toFixed(1)} ms of ${SEQUENTIAL_REQUESTS}`);
      results.push({
        name: scenario.name,
        topology: SUPPORT_TOPOLOGY,
        query: scenario.query,
        totalCount,
        sequentialMs,
        statements: null,
        ...measured,
      });
      if (measured.load.failures > 0) break;
    }
    await gateway.stop();

    let statementsUnavailable: string | null = null;
    let slowest: SupportSuiteResult['slowest'] = null;
    const log = await StatementLog.open(context.databaseUrl);
    if (!log) {
      statementsUnavailable = "the PostgreSQL server's log cannot be read from here";
      console.warn(`  statements not counted: ${statementsUnavailable}`);
    } else if (results.length === supportScenarios.length) {
      console.log('\nsupport: counting the SQL statements of each query');
      gateway = await startGatewayProcess(context, {}, { PGOPTIONS: StatementLog.serverOptions });
      const profiles = await profileStatements(
        log,
        gateway.url,
        probes.map((probe) => probe.target),
        tenant.tenantId,
        client,
      );
      await gateway.stop();
      profiles.forEach((profile, index) => (results[index]!.statements = profile));
      const slowestResult = results.reduce((a, b) => (b.sequentialMs.median > a.sequentialMs.median ? b : a));
      const statement = [...(slowestResult.statements?.statements ?? [])].sort((a, b) => b.medianMs - a.medianMs)[0];
      if (statement) {
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${statement.sql}`);
        slowest = { scenario: slowestResult.name, statement, plan: rows.map((row) => row['QUERY PLAN']).join('\n') };
        console.log(`\nThe slowest statement of the slowest query (${slowestResult.name}):\n${statement.sql}\n${slowest.plan}`);
      }
    }
    return {
      customers: settings.supportCustomers,
      otherCustomers: OTHER_TENANT_CUSTOMERS,
      seed,
      results,
      statementsUnavailable,
      slowest,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await cleanup.release();
  }
}

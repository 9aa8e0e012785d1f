import type { BenchSettings } from './environment.js';
import type { Machine } from './machine.js';
import { cpuLines, failureLines, machineTable, markdownTable, ms, sectionMarkers } from './report.js';
import { STEADY_GAIN, WARMUP_ROUND_SECONDS } from './run-scenario.js';
import { SEQUENTIAL_REQUESTS, type SupportSuiteResult } from './support-suite.js';
import { CONVERSATIONS_PER_CUSTOMER, MESSAGES_PER_CONVERSATION, SEARCHES, SEEDED_TABLES } from './support-seed.js';

export const SUPPORT_SECTION = sectionMarkers('support-core');

const count = (value: number): string => value.toLocaleString('en-US');
const mebibytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/** A long `in ('…', '…', …)` list of ids as its first id and how many there are, so a statement stays readable. */
export function abbreviateStatement(sql: string): string {
  return sql.replace(/'[0-9a-f-]{36}'(?:, '[0-9a-f-]{36}'){3,}/g, (list) => {
    const ids = list.split(', ');
    return `${ids[0]}, … (${ids.length} ids)`;
  });
}

export function supportTable(suite: SupportSuiteResult): string {
  return markdownTable(
    [
      'query',
      'totalCount',
      'requests/s (mean)',
      'slowest–fastest second',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'one at a time, ms',
      'SQL statements',
      'PostgreSQL ms',
      'requests',
      'errors',
    ],
    suite.results.map((result) => [
      result.name,
      count(result.totalCount),
      result.load.requestsPerSecond.toFixed(1),
      result.load.perSecond.length > 0 ? `${Math.min(...result.load.perSecond)}–${Math.max(...result.load.perSecond)}` : 'n/a',
      ms(result.load.latencyMs.p50),
      ms(result.load.latencyMs.p95),
      ms(result.load.latencyMs.p99),
      `${ms(result.sequentialMs.median)} (${ms(result.sequentialMs.min)}–${ms(result.sequentialMs.max)})`,
      result.statements ? String(Math.round(result.statements.perRequest * 10) / 10) : 'n/a',
      result.statements ? ms(result.statements.postgresMs) : 'n/a',
      String(result.load.totalRequests),
      String(result.load.failures),
    ]),
  );
}

export function supportFailures(suite: SupportSuiteResult): string[] {
  return failureLines(suite.results);
}

export function supportSection(options: {
  machine: Machine;
  date: Date;
  settings: BenchSettings;
  suite: SupportSuiteResult;
  runSeconds: number;
}): string {
  const { machine, settings, suite } = options;
  const { seed } = suite;
  const dataTable = markdownTable(
    ['table', 'rows, benchmark tenant', 'rows, both tenants', 'size with indexes'],
    SEEDED_TABLES.map((table) => [table, count(seed.rows[table]), count(seed.totalRows[table]), mebibytes(seed.tableBytes[table])]),
  );
  const steps = seed.timings.map((timing) => `${timing.step} ${timing.seconds.toFixed(1)} s`).join(', ');
  const queries = suite.results.map((result) => `# ${result.name}\n${result.query}`).join('\n');
  const statements = suite.statementsUnavailable
    ? `SQL statements were not counted: ${suite.statementsUnavailable}.`
    : '"SQL statements" counts the statements naming the tenant that the gateway sent for one request (read from the log of PostgreSQL, for a second gateway started with `PGOPTIONS=-c log_statement=all` after the load runs; three requests each, after two unrecorded ones). "PostgreSQL ms" is those statements run again one by one on the benchmark\'s own connection, the median of five runs each, added up: some of them run concurrently within a request.';
  const slowest = suite.slowest
    ? `The slowest statement of the slowest query (${suite.slowest.scenario}), ${ms(suite.slowest.statement.medianMs)} ms on its own, and its plan (\`EXPLAIN (ANALYZE, BUFFERS)\`, run once more after the measurements):

\`\`\`sql
${abbreviateStatement(suite.slowest.statement.sql)}
\`\`\`

\`\`\`
${suite.slowest.plan}
\`\`\`
`
    : '';
  return `${SUPPORT_SECTION.start}

## Support: conversation list and customer search on a large tenant (support core, item 8)

Measured ${options.date.toISOString()} by \`pnpm bench\`; the support suite took ${Math.round(suite.seconds)} s (generating the data ${Math.round(seed.seconds)} s), the whole run ${Math.round(options.runSeconds)} s.

${machineTable(machine)}

Data: \`bench/src/support-seed.ts\` (also \`pnpm seed:support\`) generates it inside PostgreSQL, \`INSERT … SELECT\` over \`generate_series\`, into the support schema of a database the gateway has migrated. The tenant registered over REST gets ${count(suite.customers)} customers (100 first names × 100 surnames, an email identity each, an E.164 phone identity for every other one, organizations, tags, segments and SLA tiers), ${CONVERSATIONS_PER_CUSTOMER} conversations per customer over 180 days (a mix of states, severities and channels, e.g. 15 % AWAITING_AGENT and 10 % P1; every other one assigned to the tenant's admin) with their history, and ${MESSAGES_PER_CONVERSATION} messages per conversation, inbound and outbound in turn; message counts, last-message and last-contact times agree with the messages. A second tenant, also registered over REST, gets ${count(suite.otherCustomers)} customers the same way, so that every query has to tell tenants apart. Rows are inserted in time order through the live indexes, as the application would write them; then the tables are vacuumed and analysed (GIN indexes tell the planner their size only once vacuumed) and a checkpoint writes everything out before the load starts.

${dataTable}

Generated in ${seed.seconds.toFixed(1)} s, one transaction per tenant: ${steps}.

Load: as in the section above (autocannon on 127.0.0.1, ${settings.connections} keep-alive connections, ${settings.durationSeconds} s measured), against one gateway process with every subgraph in it, \`NODE_ENV=production\`, Redis and rate limits out of reach, with the admin's access token. The first query warms up for at least ${settings.warmupSeconds} s, each next one (same process) for at least ${WARMUP_ROUND_SECONDS} s, then in rounds of ${WARMUP_ROUND_SECONDS} s until an undisturbed round is less than ${STEADY_GAIN * 100} % faster than the one before. Before the load, each answer was checked against the tables themselves (the \`totalCount\` and the ids of the page, in order, from plain SQL in \`bench/src/support-scenarios.ts\`; no errors); every measured response was then compared byte for byte with it. The searches: "${SEARCHES.surname}" is one of the 100 surnames; "${SEARCHES.phoneFragment}" is typed as people type phone numbers and finds the numbers +1 415 555 01xx; "${SEARCHES.emailPrefix}" is the start of the email addresses of everyone called Amara Okafor.

\`\`\`graphql
${queries}
\`\`\`

${supportTable(suite)}

Latencies under load are nearest-rank percentiles of every response; "one at a time" is the median (fastest–slowest) of ${SEQUENTIAL_REQUESTS} requests sent one after another on one connection right after the load run. ${statements}

CPU during each measured run, in cores (from /proc; "other" is the rest of the machine's busy time):

${cpuLines(suite.results, machine.cores)}

${slowest}
${SUPPORT_SECTION.end}
`;
}

import { DISTURBANCE_CORES } from './cpu.js';
import type { Machine } from './machine.js';
import { machineTable, markdownTable, ms, sectionMarkers } from './report.js';
import {
  CONNECT_CONCURRENCY,
  MESSAGE_SUBSCRIPTION,
  QUIET_SECONDS,
  SUBSCRIPTIONS_TOPOLOGY,
  type MemorySample,
  type SubscriptionLevelResult,
  type SubscriptionSuiteResult,
} from './subscription-suite.js';

export const SUBSCRIPTIONS_SECTION = sectionMarkers('subscriptions');

const count = (value: number): string => value.toLocaleString('en-US');
const mebibytes = (bytes: number): string => (bytes / 1024 ** 2).toFixed(1);
const kibibytes = (bytes: number | null): string => (bytes === null ? 'n/a' : (bytes / 1024).toFixed(1));
const rss = (sample: MemorySample): string => mebibytes(sample.rssBytes);
const heap = (sample: MemorySample): string => (sample.heapUsedBytes === null ? 'n/a' : mebibytes(sample.heapUsedBytes));
const cores = (level: SubscriptionLevelResult, name: string): number => level.cpu.find((row) => row.name === name)?.cores ?? 0;

/** One column per number of subscribers, one row per figure. */
export function subscriptionTable(suite: SubscriptionSuiteResult): string {
  const rows: [string, (level: SubscriptionLevelResult) => string][] = [
    ['subscribers connected', (level) => count(level.connect.connected)],
    ['connecting and subscribing, s', (level) => level.connect.seconds.toFixed(1)],
    ['upstream streams', (level) => count(level.upstreamStreams)],
    ['until every subscriber had a warm-up message, s', (level) => level.warmUpSeconds.toFixed(1)],
    ['messages sent', (level) => count(level.eventsSent)],
    ['deliveries expected', (level) => count(level.delivery.expected)],
    ['deliveries received', (level) => count(level.delivery.delivered)],
    ['latency p50, ms', (level) => ms(level.delivery.latencyMs.p50)],
    ['latency p95, ms', (level) => ms(level.delivery.latencyMs.p95)],
    ['latency p99, ms', (level) => ms(level.delivery.latencyMs.p99)],
    ['latency max, ms', (level) => ms(level.delivery.latencyMs.max)],
    ['POST of a message p50 / p99, ms', (level) => `${ms(level.postMs.p50)} / ${ms(level.postMs.p99)}`],
    ['gateway RSS before connecting, MiB', (level) => rss(level.memory.before)],
    ['gateway RSS after connecting, MiB', (level) => rss(level.memory.connected)],
    ['gateway RSS after the messages, MiB', (level) => rss(level.memory.afterEvents)],
    ['V8 heap used before connecting, MiB', (level) => heap(level.memory.before)],
    ['V8 heap used after connecting, MiB', (level) => heap(level.memory.connected)],
    ['V8 heap used after the messages, MiB', (level) => heap(level.memory.afterEvents)],
    ['RSS per connection, KiB', (level) => kibibytes(level.perConnection.rssBytes)],
    ['V8 heap per connection, KiB', (level) => kibibytes(level.perConnection.heapBytes)],
    ['gateway cores while messages flowed', (level) => cores(level, 'gateway').toFixed(2)],
  ];
  return markdownTable(
    ['subscribers', ...suite.levels.map((level) => count(level.subscribers))],
    rows.map(([label, cell]) => [label, ...suite.levels.map(cell)]),
  );
}

export function subscriptionFailures(suite: SubscriptionSuiteResult): string[] {
  const failures = suite.levels.flatMap((level) => level.failures.map((failure) => `subscriptions, ${level.subscribers}: ${failure}`));
  if (suite.levels.length === 0) failures.push('subscriptions: no level was measured');
  return failures;
}

export function subscriptionCpuLines(suite: SubscriptionSuiteResult, machineCores: number): string {
  return suite.levels
    .map((level) => {
      const used = level.cpu
        .filter((row) => row.cores >= 0.005)
        .map((row) => `${row.name} ${row.cores.toFixed(2)}`)
        .join(', ');
      const disturbed = cores(level, 'other') >= DISTURBANCE_CORES ? ' **Disturbed: other work on the machine ran during this run.**' : '';
      const rounds = level.messageRounds > 1 ? `; the least disturbed of ${level.messageRounds} rounds of messages` : '';
      return `- **${count(level.subscribers)} subscribers** (${level.eventSeconds.toFixed(1)} s from the first message to the last delivery${rounds}): ${used || 'not measured (no /proc)'}; of ${machineCores} cores.${disturbed}`;
    })
    .join('\n');
}

/** How much the RSS of a fresh gateway before connecting varied between levels, in bytes. */
function baselineSpread(suite: SubscriptionSuiteResult): number {
  const baselines = suite.levels.map((level) => level.memory.before.rssBytes);
  return Math.max(...baselines) - Math.min(...baselines);
}

export function subscriptionSection(options: { machine: Machine; date: Date; suite: SubscriptionSuiteResult; runSeconds: number }): string {
  const { machine, suite } = options;
  const conversations = suite.conversations;
  const agents = suite.agents === 1 ? 'one agent' : `${suite.agents} agents`;
  const watching =
    suite.agents === 1
      ? `Subscriber *i* watches conversation *i* mod ${conversations}, all with the access token of one agent. The gateway shares one upstream stream, and one resolution per message, among the identical subscriptions of one caller, so there is one stream per conversation (${conversations} in all): each message is resolved once (the message from support, its sender's name from identity) and its frame written to every socket watching its conversation (subscribers / ${conversations}). This measures the fan-out to many sockets; with several agents watching a conversation, each message is resolved once per agent (\`BENCH_SUBSCRIBER_AGENTS\`).`
      : `Subscriber *i* watches conversation *i* mod ${conversations} with the access token of agent ⌊*i* / ${conversations}⌋ mod ${suite.agents}. The gateway shares one upstream stream, and one resolution per message, among the identical subscriptions of one caller, so there are up to ${suite.agents} streams per conversation: each message is resolved once per agent watching its conversation (the message from support, its sender's name from identity) and its frame written to every socket watching it (subscribers / ${conversations}).`;
  const spread = baselineSpread(suite);
  const samples = suite.levels.flatMap((level) => [level.memory.before, level.memory.connected, level.memory.afterEvents]);
  const collection = samples.every((sample) => sample.collected)
    ? "and a full garbage collection (`HeapProfiler.collectGarbage` through the gateway's inspector, which the benchmark opens with SIGUSR1 on a free port; the gateway itself is unchanged)"
    : "**without a forced garbage collection** for some readings (the gateway's inspector did not open), which then include garbage not yet collected";
  const smallest = Math.min(...suite.levels.map((level) => level.subscribers));
  return `${SUBSCRIPTIONS_SECTION.start}

## Subscriptions: ${suite.levels.map((level) => count(level.subscribers)).join(', ')} subscribers on one gateway (issue 4)

Measured ${options.date.toISOString()} by \`pnpm bench\`; the subscriptions suite took ${Math.round(suite.seconds)} s (setting up ${Math.round(suite.setupSeconds)} s), the whole run ${Math.round(options.runSeconds)} s.

${machineTable(machine)}

Setup: ${SUBSCRIPTIONS_TOPOLOGY}. One tenant registered over REST, ${agents} added by its admin, and ${conversations} conversations (a customer and a first message each), created through the REST API of a gateway used for nothing else. Each level then starts a fresh gateway (\`NODE_ENV=production\`, \`LOG_LEVEL=warn\`, PostgreSQL, Redis as the event bus) and a fresh subscriber process, which opens graphql-ws clients (\`createClient\` of \`graphql-ws\` over \`ws\`) on \`/graphql\`, ${CONNECT_CONCURRENCY} connecting at a time, each authenticating in \`connection_init\` and subscribing once. ${watching} Before measuring, a warm-up message goes to every conversation, again until every subscriber has received one, so every stream is live.

Then the admin posts replies, \`POST /v1/conversations/:id/messages\` on the gateway, ${suite.eventRate} per second for ${suite.durationSeconds} s, round-robin over the conversations, from the benchmark's own process, each request started on schedule whatever the previous ones do. Each message carries the time it was sent; the latency of a delivery is the time it reached the subscriber process minus that (one machine, one clock), so it covers the whole path: the REST call and its mutation, the commit with its outbox row, the outbox relay, Redis, the support subgraph's filter of every stream, the gateway's query plan for the sender's name, the socket, and the subscriber process reading the frame. Every delivery is checked (no errors; the conversation, the customer's name and the sender's name present) and counted: every subscriber must receive every message of its conversation exactly once. A round of messages that other work on the machine disturbed is sent again, up to three rounds in all, and the least disturbed one is kept, as in the other suites.

Memory is the gateway's Node.js process alone: RSS from \`/proc/<pid>/status\` (VmRSS) and the V8 heap in use from the gateway's \`/metrics\` (\`nodejs_heap_size_used_bytes\`), each read after ${QUIET_SECONDS} s without traffic ${collection}. Per connection is (after connecting − before connecting) / subscribers.

\`\`\`graphql
${MESSAGE_SUBSCRIPTION}
\`\`\`

${subscriptionTable(suite)}

Latencies are nearest-rank percentiles of every delivery; "POST of a message" is the round trip of the request that sent it, part of every delivery's latency.

CPU from the first message to the last delivery, in cores (from /proc; "load generator" is the benchmark process sending the messages, "subscribers" the process holding the sockets, "other" the rest of the machine's busy time):

${subscriptionCpuLines(suite, machine.cores)}

How to read it: the benchmark, the subscriber process, PostgreSQL, Redis and the gateway share ${machine.cores} cores, and the gateway does its work on one Node.js main thread, so latency grows as that thread gets busy. The message rate is the same at every level; what grows is the number of frames per message, and the sockets and subscriptions the gateway holds. RSS follows what V8 and the allocator keep mapped, which a collection may or may not give back, and a fresh gateway's RSS before connecting varied by ${mebibytes(spread)} MiB between levels: read the per-connection RSS as rough (± ${kibibytes(spread / smallest)} KiB at ${count(smallest)} subscribers, less at more), and the heap, read after a full collection, as the steadier measure of what each connection keeps alive. The upstream streams (a subgraph request context and a query plan each) are part of "per connection" too.

${SUBSCRIPTIONS_SECTION.end}
`;
}

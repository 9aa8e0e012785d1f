import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Cleanup } from './cleanup.js';
import { busyElsewhere, coresUsed, cpuSnapshot, DISTURBANCE_CORES, type CpuUse } from './cpu.js';
import { inheritedEnvironment, type BenchSettings } from './environment.js';
import { postGraphql, postRest } from './http.js';
import { delay, REPOSITORY_ROOT, type ServerProcess } from './processes.js';
import { ms } from './report.js';
import { prepareDeployment, startGatewayProcess, type DeployContext } from './scenarios.js';
import {
  epochMs,
  eventContent,
  percentile,
  WARM_UP_CONTENT,
  type ConnectCommand,
  type ConnectReport,
  type DeliveryReport,
  type Progress,
  type SubscriberCommand,
  type SubscriberReply,
  type SubscriberRequest,
} from './subscriber-client.js';
import { createBenchTenant } from './tenant.js';

/** Conversations the subscribers share out, round-robin; messages go to them round-robin too. */
export const CONVERSATIONS = 100;
/** Connections opening at once at most. */
export const CONNECT_CONCURRENCY = 500;
/** Message rounds in all at most, while other work disturbs them (as in the other suites). */
const MEASURE_ATTEMPTS = 3;
/** Seconds without traffic before memory is read. */
export const QUIET_SECONDS = 5;
/** Messages in flight at once while setting up and warming up. */
const SETUP_CONCURRENCY = 10;
const WARM_UP_TIMEOUT_MS = 180_000;
/** After the last message, how long deliveries may stall before the missing ones count as lost. */
const DRAIN_IDLE_MS = 15_000;
const QUIET_WAIT_MS = 120_000;
const INSPECTOR_TIMEOUT_MS = 10_000;
/** Open files a process needs beside its sockets (modules, pipes, database and Redis connections). */
const SPARE_FILES = 1000;

export const SUBSCRIPTIONS_TOPOLOGY =
  'one gateway process with all six subgraphs in it; the subscribers in a child process of the benchmark';

/** The subscription: the message from support, its sender's name from identity. */
export const MESSAGE_SUBSCRIPTION = `subscription BenchMessageAdded($id: ID) {
  conversationMessageAdded(conversationId: $id) {
    conversationId
    message { id content createdAt sender { id displayName } conversation { id subject customer { name } } }
  }
}`;

const SUBSCRIBER_SCRIPT = fileURLToPath(new URL('./subscriber-client.ts', import.meta.url));

export interface MemorySample {
  /** VmRSS of the gateway's Node.js process. */
  rssBytes: number;
  /** V8 heap in use, from the gateway's /metrics (`nodejs_heap_size_used_bytes`); null if it is not there. */
  heapUsedBytes: number | null;
  /** Whether a full garbage collection ran just before (through the gateway's inspector). */
  collected: boolean;
}

export interface SubscriptionLevelResult {
  subscribers: number;
  connect: ConnectReport;
  /** Distinct (conversation, agent) pairs: identical subscriptions of one caller share one upstream stream. */
  upstreamStreams: number;
  warmUpSeconds: number;
  eventsSent: number;
  /** Seconds from the first message to the last delivery (or to giving up waiting). */
  eventSeconds: number;
  /** Rounds of messages sent: more than one when other work disturbed the first; the least disturbed is kept. */
  messageRounds: number;
  /** Round trip of the POST that sent each message, in ms. */
  postMs: { p50: number; p99: number };
  postFailures: string[];
  delivery: DeliveryReport;
  memory: { before: MemorySample; connected: MemorySample; afterEvents: MemorySample };
  /** (after connecting − before) / subscribers connected. */
  perConnection: { rssBytes: number; heapBytes: number | null };
  /** Cores per process group while the messages of the kept round were sent and delivered. */
  cpu: CpuUse[];
  /** Lines the gateway printed (LOG_LEVEL=warn), the last few. */
  gatewayLog: string[];
  failures: string[];
}

export interface SubscriptionSuiteResult {
  conversations: number;
  agents: number;
  eventRate: number;
  durationSeconds: number;
  levels: SubscriptionLevelResult[];
  setupSeconds: number;
  seconds: number;
}

interface Setup {
  adminToken: string;
  adminName: string;
  agentTokens: string[];
  conversationIds: string[];
}

const since = (start: number): string => `${((performance.now() - start) / 1000).toFixed(1)} s`;
const mebibytes = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/** Runs `task` over `items`, `concurrency` at a time. */
async function inBatches<T, R>(items: T[], concurrency: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** The child process holding the subscribers' sockets, in a process group of its own (for CPU accounting). */
class SubscriberProcess {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (reply: SubscriberReply) => void; reject: (error: Error) => void }>();
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: SubscriberReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.type === 'failed') waiting?.reject(new Error(`subscriber process: ${reply.message}`));
      else waiting?.resolve(reply);
    });
    child.once('exit', (code, signal) => {
      this.exited = true;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the subscriber process exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  static async start(cleanup: Cleanup): Promise<SubscriberProcess> {
    const child = fork(SUBSCRIBER_SCRIPT, [], {
      cwd: REPOSITORY_ROOT,
      execArgv: ['--import', 'tsx'],
      env: { ...inheritedEnvironment(), NODE_ENV: 'production' },
      detached: true,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', kill);
    const subscribers = new SubscriberProcess(child);
    cleanup.defer('stop the subscriber process', () => subscribers.stop());
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return subscribers;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private request<T extends SubscriberReply['type']>(
    command: SubscriberRequest,
    timeoutMs: number,
  ): Promise<Extract<SubscriberReply, { type: T }>> {
    if (this.exited) return Promise.reject(new Error('the subscriber process has exited'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the subscriber process did not answer "${command.type}" within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply as Extract<SubscriberReply, { type: T }>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const message: SubscriberCommand = { ...command, id };
      this.child.send(message);
    });
  }

  async connect(command: Omit<ConnectCommand, 'type'>): Promise<ConnectReport> {
    return (await this.request<'connected'>({ type: 'connect', ...command }, 15 * 60_000)).report;
  }

  async unwarmed(): Promise<number[]> {
    return (await this.request<'unwarmed'>({ type: 'unwarmed' }, 60_000)).conversations;
  }

  async progress(): Promise<Progress> {
    return (await this.request<'progress'>({ type: 'progress' }, 60_000)).progress;
  }

  /** Forgets the deliveries so far (not the sockets the server closed). */
  async reset(): Promise<void> {
    await this.request<'reset'>({ type: 'reset' }, 60_000);
  }

  async results(events: [number, number][]): Promise<DeliveryReport> {
    return (await this.request<'results'>({ type: 'results', events }, 120_000)).report;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await this.request<'disconnected'>({ type: 'disconnect' }, 60_000);
    } catch (error) {
      console.warn(`  the subscribers did not disconnect cleanly: ${error instanceof Error ? error.message : String(error)}`);
    }
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    await Promise.race([exited, delay(10_000)]);
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/** The gateway's Node.js process: the child of the tsx launcher that leads its process group. */
function gatewayNodePid(leader: number): number {
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === leader) return Number(entry);
    } catch {
      // Ended while we were reading.
    }
  }
  return leader;
}

/**
 * The gateway's memory. Before each reading, a full garbage collection through the gateway's inspector, opened
 * with SIGUSR1 on a free port (the gateway runs with `--inspect-port=0`): without it, the heap holds whatever
 * garbage the last phase left, which at 1000 subscribers swamps what the connections themselves take.
 */
class GatewayMemory {
  private inspectorUrl: string | null = null;

  constructor(
    private readonly gateway: ServerProcess,
    private readonly pid: number,
  ) {}

  /** Opens the inspector; readings go without a forced collection if it does not open. */
  async openInspector(): Promise<void> {
    process.kill(this.pid, 'SIGUSR1');
    const deadline = Date.now() + INSPECTOR_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const url = [...this.gateway.output().matchAll(/Debugger listening on (ws:\/\/\S+)/g)].at(-1)?.[1];
      if (url) {
        this.inspectorUrl = url;
        return;
      }
      await delay(100);
    }
    console.warn('  the gateway did not open its inspector: memory is read without forcing a garbage collection');
  }

  private async collectGarbage(): Promise<boolean> {
    if (!this.inspectorUrl) return false;
    const socket = new WebSocket(this.inspectorUrl);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' })));
        socket.on('message', (data: Buffer) => {
          if ((JSON.parse(data.toString()) as { id?: number }).id === 1) resolve();
        });
        socket.once('error', reject);
        setTimeout(() => reject(new Error('no answer within 30 s')), 30_000).unref();
      });
      return true;
    } catch (error) {
      console.warn(`  garbage collection through the inspector failed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      socket.close();
    }
  }

  /** After a quiet spell and a full garbage collection: the process's RSS and the V8 heap in use. */
  async sample(label: string): Promise<MemorySample> {
    await delay(QUIET_SECONDS * 1000);
    const collected = await this.collectGarbage();
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const rss = status.match(/^VmRSS:\s+(\d+) kB$/m);
    if (!rss) throw new Error(`no VmRSS in /proc/${this.pid}/status`);
    let heapUsedBytes: number | null = null;
    try {
      const metrics = await (await fetch(`${this.gateway.url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      const heap = metrics.match(/^nodejs_heap_size_used_bytes (\S+)$/m);
      heapUsedBytes = heap ? Number(heap[1]) : null;
    } catch {
      // No metrics: RSS only.
    }
    const sample = { rssBytes: Number(rss[1]) * 1024, heapUsedBytes, collected };
    const heapText = heapUsedBytes === null ? 'heap n/a' : `heap ${mebibytes(heapUsedBytes)}`;
    console.log(`  gateway memory ${label}: RSS ${mebibytes(sample.rssBytes)}, ${heapText}${collected ? '' : ' (no forced collection)'}`);
    return sample;
  }
}

/** The soft limit of open files of this process (the children inherit it); Infinity when unknown. */
function openFilesLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return Infinity;
  }
}

async function waitForQuiet(groups: Map<number, string>): Promise<void> {
  const deadline = Date.now() + QUIET_WAIT_MS;
  let busy = await busyElsewhere(groups, 1);
  if (busy < DISTURBANCE_CORES) return;
  console.log(`  other work uses ${busy.toFixed(2)} cores; waiting up to ${QUIET_WAIT_MS / 1000} s for the machine to be quiet`);
  while (busy >= DISTURBANCE_CORES && Date.now() < deadline) busy = await busyElsewhere(groups, 2);
  if (busy >= DISTURBANCE_CORES) console.warn(`  the machine is still busy with other work (${busy.toFixed(2)} cores); measuring anyway`);
}

/** The tenant, its agents and conversations, created through the public API of a gateway used for nothing else. */
async function setUp(gatewayUrl: string, agents: number): Promise<Setup> {
  const tenant = await createBenchTenant(gatewayUrl);
  const admin = { authorization: `Bearer ${tenant.accessToken}` };
  const me = await postGraphql<{ me: { displayName: string } }>(`${gatewayUrl}/graphql`, '{ me { displayName } }', admin);
  const adminName = me.body.data?.me.displayName;
  if (!adminName) throw new Error(`could not read the admin's name: ${me.text}`);

  const agentTokens = await inBatches([...Array(agents).keys()], SETUP_CONCURRENCY, async (index) => {
    const email = `agent-${index}-${tenant.email}`;
    const password = 'correct horse battery';
    await postRest(
      `${gatewayUrl}/v1/users`,
      { email, password, firstName: 'Bench', lastName: `Agent ${index}`, role: 'agent' },
      201,
      admin,
    );
    const login = await postRest<{ data: { accessToken: string } }>(`${gatewayUrl}/v1/auth/login`, { email, password }, 200);
    return login.data.accessToken;
  });

  const conversationIds = await inBatches([...Array(CONVERSATIONS).keys()], SETUP_CONCURRENCY, async (index) => {
    const customer = await postRest<{ data: { id: string } }>(
      `${gatewayUrl}/v1/customers`,
      { name: `Bench Customer ${index}` },
      201,
      admin,
    );
    const conversation = await postRest<{ data: { id: string } }>(
      `${gatewayUrl}/v1/conversations`,
      {
        customerId: customer.data.id,
        channel: 'web_chat',
        subject: `Bench conversation ${index}`,
        initialMessage: { content: 'Hello, I need help' },
      },
      201,
      admin,
    );
    return conversation.data.id;
  });
  return { adminToken: tenant.accessToken, adminName, agentTokens, conversationIds };
}

/** An agent's reply in a conversation, through the REST shim; its round trip in ms. */
async function postMessage(gatewayUrl: string, token: string, conversationId: string, content: string): Promise<number> {
  const started = performance.now();
  await postRest(`${gatewayUrl}/v1/conversations/${conversationId}/messages`, { content }, 201, { authorization: `Bearer ${token}` });
  return performance.now() - started;
}

/** Sends warm-up messages until every subscriber has received one: then every stream is live at the subgraph. */
async function warmUp(subscribers: SubscriberProcess, gatewayUrl: string, setup: Setup): Promise<number> {
  const started = performance.now();
  let pending = await subscribers.unwarmed();
  while (pending.length > 0) {
    if (performance.now() - started > WARM_UP_TIMEOUT_MS) {
      throw new Error(
        `${pending.length} conversations still had subscribers without a warm-up message after ${WARM_UP_TIMEOUT_MS / 1000} s`,
      );
    }
    await inBatches(pending, SETUP_CONCURRENCY, (conversation) =>
      postMessage(gatewayUrl, setup.adminToken, setup.conversationIds[conversation]!, WARM_UP_CONTENT),
    );
    // Wait while deliveries keep coming; send again to the conversations still missing some.
    let last = pending.length;
    let stalled = 0;
    while (stalled < 4) {
      await delay(500);
      pending = await subscribers.unwarmed();
      if (pending.length === 0) break;
      stalled = pending.length < last ? 0 : stalled + 1;
      last = pending.length;
    }
  }
  return (performance.now() - started) / 1000;
}

/** Messages at a fixed rate, round-robin over the conversations, each POST started on schedule whatever the last one does. */
async function sendEvents(
  gatewayUrl: string,
  setup: Setup,
  rate: number,
  durationSeconds: number,
  firstSequence: number,
): Promise<{ events: [number, number][]; postMs: number[]; failures: string[] }> {
  const total = rate * durationSeconds;
  const events: [number, number][] = [];
  const postMs: number[] = [];
  const failures: string[] = [];
  const posts: Promise<void>[] = [];
  const start = performance.now();
  for (let index = 0; index < total; index++) {
    const wait = start + (index * 1000) / rate - performance.now();
    if (wait > 0) await delay(wait);
    const sequence = firstSequence + index;
    const conversation = index % setup.conversationIds.length;
    const content = eventContent(sequence, epochMs());
    posts.push(
      postMessage(gatewayUrl, setup.adminToken, setup.conversationIds[conversation]!, content).then(
        (ms) => {
          events.push([sequence, conversation]);
          postMs.push(ms);
        },
        (error: unknown) => {
          failures.push(`message ${sequence}: ${error instanceof Error ? error.message : String(error)}`);
        },
      ),
    );
  }
  await Promise.all(posts);
  return { events, postMs, failures };
}

/** Waits until every expected delivery arrived, or until none arrived for a while. */
async function drain(subscribers: SubscriberProcess, expected: number): Promise<Progress> {
  let progress = await subscribers.progress();
  let lastChange = performance.now();
  while (progress.delivered < expected && performance.now() - lastChange < DRAIN_IDLE_MS) {
    await delay(100);
    const next = await subscribers.progress();
    if (next.delivered !== progress.delivered) lastChange = performance.now();
    progress = next;
  }
  return progress;
}

function upstreamStreams(subscribers: number, agents: number): number {
  const pairs = new Set<string>();
  for (let index = 0; index < subscribers; index++) {
    pairs.add(`${index % CONVERSATIONS}/${Math.floor(index / CONVERSATIONS) % agents}`);
  }
  return pairs.size;
}

interface MessageRound {
  sent: Awaited<ReturnType<typeof sendEvents>>;
  delivery: DeliveryReport;
  eventSeconds: number;
  cpu: CpuUse[];
  postMs: { p50: number; p99: number };
  failures: string[];
}

/** Messages at the fixed rate, then every delivery awaited and checked; the CPU used meanwhile. */
async function sendAndDeliver(
  subscribers: SubscriberProcess,
  gatewayUrl: string,
  setup: Setup,
  connect: ConnectReport,
  settings: BenchSettings,
  groups: Map<number, string>,
  firstSequence: number,
): Promise<MessageRound> {
  await subscribers.reset();
  console.log(`  sending ${settings.eventRate} messages/s for ${settings.durationSeconds} s`);
  const cpuBefore = cpuSnapshot(groups);
  const started = performance.now();
  const sent = await sendEvents(gatewayUrl, setup, settings.eventRate, settings.durationSeconds, firstSequence);
  const expected = sent.events.reduce((sum, [, conversation]) => sum + connect.perConversation[conversation]!, 0);
  const progress = await drain(subscribers, expected);
  const eventSeconds = (performance.now() - started) / 1000;
  const cpu = coresUsed(cpuBefore, cpuSnapshot(groups), eventSeconds);
  const delivery = await subscribers.results(sent.events);
  const sorted = [...sent.postMs].sort((a, b) => a - b);
  const postMs = { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
  console.log(
    `  ${delivery.delivered} of ${delivery.expected} deliveries in ${eventSeconds.toFixed(1)} s; latency p50 ${ms(delivery.latencyMs.p50)} ms, ` +
      `p99 ${ms(delivery.latencyMs.p99)} ms, max ${ms(delivery.latencyMs.max)} ms; POST p50 ${ms(postMs.p50)} ms`,
  );
  console.log(`  cores: ${cpu.map((row) => `${row.name} ${row.cores.toFixed(2)}`).join(', ')}`);
  const failures: string[] = [];
  if (sent.failures.length > 0)
    failures.push(`${sent.failures.length} messages could not be sent, e.g. ${sent.failures.slice(0, 3).join('; ')}`);
  if (delivery.delivered < delivery.expected) {
    failures.push(
      `${delivery.expected - delivery.delivered} of ${delivery.expected} deliveries missing, e.g. ${delivery.missingSamples.join('; ')}`,
    );
  }
  if (delivery.bad > 0 || delivery.duplicates > 0) failures.push(`${delivery.bad} bad results and ${delivery.duplicates} duplicates`);
  if (progress.problems > 0) failures.push(`subscribers saw: ${delivery.problems.join('; ')}`);
  return { sent, delivery, eventSeconds, cpu, postMs, failures };
}

/** One level: a fresh gateway, `count` subscribers connected and warmed up, messages at the fixed rate, memory at each step. */
async function runLevel(context: DeployContext, setup: Setup, count: number, settings: BenchSettings): Promise<SubscriptionLevelResult> {
  const started = performance.now();
  const cleanup = new Cleanup();
  try {
    console.log(`\nsubscriptions, ${count} subscribers: starting a fresh gateway`);
    // The inspector opens only on SIGUSR1, and then on a free port.
    const gateway = await startGatewayProcess(context, {}, { NODE_OPTIONS: '--inspect-port=0' });
    const memory = new GatewayMemory(gateway, gatewayNodePid(gateway.pid));
    await memory.openInspector();
    const subscribers = await SubscriberProcess.start(cleanup);
    const groups = new Map([
      [gateway.pid, 'gateway'],
      [subscribers.pid, 'subscribers'],
    ]);
    await waitForQuiet(groups);
    const before = await memory.sample('before connecting');

    const url = `${gateway.url.replace(/^http/, 'ws')}/graphql`;
    const connect = await subscribers.connect({
      url,
      query: MESSAGE_SUBSCRIPTION,
      tokens: setup.agentTokens,
      conversationIds: setup.conversationIds,
      count,
      concurrency: CONNECT_CONCURRENCY,
      senderName: setup.adminName,
    });
    console.log(
      `  ${connect.connected} connected and subscribed in ${connect.seconds.toFixed(1)} s (${(connect.connected / connect.seconds).toFixed(0)}/s)` +
        (connect.failed > 0 ? `; ${connect.failed} failed, e.g. ${connect.failures.join('; ')}` : ''),
    );
    const failures: string[] = [];
    if (connect.failed > 0)
      failures.push(`${connect.failed} of ${count} subscribers could not connect, e.g. ${connect.failures.join('; ')}`);

    const warmUpSeconds = await warmUp(subscribers, gateway.url, setup).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}; the gateway printed:\n${gateway.output()}`);
    });
    console.log(`  every subscriber received a warm-up message after ${warmUpSeconds.toFixed(1)} s`);
    const connected = await memory.sample('after connecting');

    // Like the other suites: messages again (up to three times in all) while other work disturbs the run.
    let kept: MessageRound | undefined;
    let messageRounds = 0;
    for (let attempt = 1; attempt <= MEASURE_ATTEMPTS; attempt++) {
      messageRounds = attempt;
      await waitForQuiet(groups);
      const round = await sendAndDeliver(subscribers, gateway.url, setup, connect, settings, groups, (attempt - 1) * 1_000_000);
      const other = round.cpu.find((row) => row.name === 'other')?.cores ?? 0;
      if (round.failures.length > 0) {
        kept = round;
        failures.push(...round.failures);
        break;
      }
      if (!kept || other < (kept.cpu.find((row) => row.name === 'other')?.cores ?? 0)) kept = round;
      if (other < DISTURBANCE_CORES) break;
      if (attempt < MEASURE_ATTEMPTS)
        console.warn(`  other work used ${other.toFixed(2)} cores during the run, which disturbs the figures`);
    }
    const { sent, delivery, eventSeconds, cpu, postMs } = kept!;
    const afterEvents = await memory.sample('after the messages');

    const gatewayLog = gateway
      .output()
      .split('\n')
      .filter((line) => line && !/^(Debugger (listening|attached|ending)|For help, see)/.test(line));
    if (gatewayLog.length > 0)
      console.warn(`  the gateway printed ${gatewayLog.length} lines, the last:\n    ${gatewayLog.slice(-5).join('\n    ')}`);
    for (const failure of failures) console.error(`  FAILED: ${failure}`);

    await subscribers.stop();
    await gateway.stop();
    console.log(`  done after ${since(started)}`);
    return {
      subscribers: count,
      connect,
      upstreamStreams: upstreamStreams(connect.connected, setup.agentTokens.length),
      warmUpSeconds,
      eventsSent: sent.events.length,
      eventSeconds,
      messageRounds,
      postMs,
      postFailures: sent.failures,
      delivery,
      memory: { before, connected, afterEvents },
      perConnection: {
        rssBytes: (connected.rssBytes - before.rssBytes) / Math.max(1, connect.connected),
        heapBytes:
          connected.heapUsedBytes === null || before.heapUsedBytes === null
            ? null
            : (connected.heapUsedBytes - before.heapUsedBytes) / Math.max(1, connect.connected),
      },
      cpu,
      gatewayLog: gatewayLog.slice(-5),
      failures,
    };
  } finally {
    await cleanup.release();
  }
}

/**
 * The subscriptions suite (issue 4): one tenant with agents and conversations, set up through a gateway of its
 * own; then for each number of subscribers a fresh gateway, that many graphql-ws subscribers in a child process,
 * messages at a fixed rate through the HTTP API, and the delivery latency and the gateway's memory measured.
 */
export async function runSubscriptionSuite(settings: BenchSettings): Promise<SubscriptionSuiteResult> {
  const started = performance.now();
  const needed = Math.max(...settings.subscribers) + SPARE_FILES;
  if (openFilesLimit() < needed) {
    throw new Error(
      `${Math.max(...settings.subscribers)} subscribers need at least ${needed} open files per process (ulimit -n is ${openFilesLimit()})`,
    );
  }
  const cleanup = new Cleanup();
  try {
    console.log(`\nsubscriptions: setting up a tenant, ${settings.subscriberAgents} agents and ${CONVERSATIONS} conversations`);
    const context = await prepareDeployment(settings, cleanup);
    const setupGateway = await startGatewayProcess(context, {});
    const setup = await setUp(setupGateway.url, settings.subscriberAgents);
    await setupGateway.stop();
    const setupSeconds = (performance.now() - started) / 1000;
    console.log(`  set up after ${since(started)}`);

    const levels: SubscriptionLevelResult[] = [];
    for (const count of settings.subscribers) {
      const level = await runLevel(context, setup, count, settings);
      levels.push(level);
      if (level.connect.connected === 0) break;
    }
    return {
      conversations: CONVERSATIONS,
      agents: settings.subscriberAgents,
      eventRate: settings.eventRate,
      durationSeconds: settings.durationSeconds,
      levels,
      setupSeconds,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await cleanup.release();
  }
}

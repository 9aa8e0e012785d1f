/**
 * The subscriptions suite's subscribers: a child process of the benchmark that holds every WebSocket, so the
 * gateway's memory and CPU are its own. It takes commands over IPC (see `SubscriberCommand`); each answer
 * carries the command's id. Messages say what they are in their content: `warm-up`, or
 * `event <sequence> <sent at, epoch ms>`; the latency of a delivery is the time it arrives here minus that.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';

export const WARM_UP_CONTENT = 'warm-up';
export const eventContent = (sequence: number, sentAt: number): string => `event ${sequence} ${sentAt.toFixed(3)}`;
/** Epoch milliseconds with microseconds, from the monotonic clock: comparable between processes of one machine. */
export const epochMs = (): number => performance.timeOrigin + performance.now();

const CONNECT_TIMEOUT_MS = 60_000;
const SAMPLES = 3;

export interface ConnectCommand {
  type: 'connect';
  /** ws://127.0.0.1:<port>/graphql */
  url: string;
  query: string;
  /** Subscriber i uses conversation i % conversations.length and token ⌊i / conversations.length⌋ % tokens.length. */
  tokens: string[];
  conversationIds: string[];
  count: number;
  /** Connections opening at once at most. */
  concurrency: number;
  /** The display name every message's sender must have (it comes from the identity subgraph). */
  senderName: string;
}

export type SubscriberRequest =
  | ConnectCommand
  /** Conversations with a subscriber that has seen no warm-up message yet. */
  | { type: 'unwarmed' }
  | { type: 'progress' }
  /** Forget the deliveries so far, before another round of messages. */
  | { type: 'reset' }
  /** The events sent, each as its sequence number and its conversation's index. */
  | { type: 'results'; events: [sequence: number, conversation: number][] }
  | { type: 'disconnect' };

export type SubscriberCommand = SubscriberRequest & { id: number };

export interface ConnectReport {
  connected: number;
  failed: number;
  seconds: number;
  /** Live subscribers per conversation index. */
  perConversation: number[];
  failures: string[];
}

export interface Progress {
  /** Distinct event deliveries so far. */
  delivered: number;
  /** Sockets the server closed, and subscriptions it ended or failed. */
  problems: number;
}

export interface DeliveryReport {
  expected: number;
  delivered: number;
  duplicates: number;
  /** Results with errors, or without the fields of the selection. */
  bad: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Unexpected closes by code and reason, ended or failed subscriptions, bad results: a few samples each. */
  problems: string[];
  missingSamples: string[];
}

export type SubscriberReply =
  | { id: number; type: 'connected'; report: ConnectReport }
  | { id: number; type: 'unwarmed'; conversations: number[] }
  | { id: number; type: 'progress'; progress: Progress }
  | { id: number; type: 'reset' }
  | { id: number; type: 'results'; report: DeliveryReport }
  | { id: number; type: 'disconnected' }
  | { id: number; type: 'failed'; message: string };

interface Subscriber {
  index: number;
  conversation: number;
  client: Client;
  warm: boolean;
  /** The server closed the socket. */
  closed: boolean;
  seen: Set<number>;
}

interface MessageEvent {
  conversationMessageAdded?: {
    conversationId?: string;
    message?: {
      content?: string | null;
      sender?: { displayName?: string } | null;
      conversation?: { id?: string; customer?: { name?: string } | null } | null;
    };
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

class Subscribers {
  private readonly subscribers: Subscriber[] = [];
  private readonly latencies: number[] = [];
  private conversationIds: string[] = [];
  private senderName = '';
  private duplicates = 0;
  private bad = 0;
  private closing = false;
  private readonly problems = new Map<string, number>();

  private problem(kind: string): void {
    this.problems.set(kind, (this.problems.get(kind) ?? 0) + 1);
  }

  async connect(command: ConnectCommand): Promise<ConnectReport> {
    const started = performance.now();
    this.conversationIds = command.conversationIds;
    this.senderName = command.senderName;
    const failures: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < command.count) {
        const index = next++;
        try {
          this.subscribers.push(await this.open(command, index));
        } catch (error) {
          failures.push(`subscriber ${index}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(command.concurrency, command.count) }, worker));
    const perConversation = command.conversationIds.map(() => 0);
    for (const subscriber of this.subscribers) perConversation[subscriber.conversation]!++;
    return {
      connected: this.subscribers.length,
      failed: failures.length,
      seconds: (performance.now() - started) / 1000,
      perConversation,
      failures: failures.slice(0, SAMPLES),
    };
  }

  /** Opens one socket, waits for the server's connection_ack, and subscribes. */
  private open(command: ConnectCommand, index: number): Promise<Subscriber> {
    const conversation = index % command.conversationIds.length;
    const token = command.tokens[Math.floor(index / command.conversationIds.length) % command.tokens.length]!;
    return new Promise((resolve, reject) => {
      let subscriber: Subscriber | undefined;
      const timeout = setTimeout(() => {
        reject(new Error(`no connection_ack within ${CONNECT_TIMEOUT_MS / 1000} s`));
        void client.dispose();
      }, CONNECT_TIMEOUT_MS);
      const client = createClient({
        url: command.url,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: () => undefined,
        on: {
          connected: () => {
            clearTimeout(timeout);
            const live: Subscriber = { index, conversation, client, warm: false, closed: false, seen: new Set() };
            subscriber = live;
            client.subscribe<MessageEvent>(
              { query: command.query, variables: { id: command.conversationIds[conversation] } },
              {
                next: (result) => this.deliver(live, result),
                error: (error) => this.problem(`subscription failed: ${describe(error)}`),
                complete: () => {
                  if (!this.closing) this.problem('subscription completed by the server');
                },
              },
            );
            resolve(live);
          },
          closed: (event) => {
            const { code, reason } = event as { code?: number; reason?: string };
            if (!subscriber) {
              clearTimeout(timeout);
              reject(new Error(`closed before connection_ack: ${code} ${reason ?? ''}`));
            } else if (!this.closing) {
              subscriber.closed = true;
              this.problem(`socket closed by the server: ${code} ${reason ?? ''}`);
            }
          },
        },
      });
    });
  }

  private deliver(subscriber: Subscriber, result: FormattedExecutionResult<MessageEvent, unknown>): void {
    const arrived = epochMs();
    const event = result.data?.conversationMessageAdded;
    const message = event?.message;
    const conversationId = this.conversationIds[subscriber.conversation]!;
    const content = message?.content;
    const whole =
      !result.errors &&
      event?.conversationId === conversationId &&
      message?.conversation?.id === conversationId &&
      typeof message.conversation.customer?.name === 'string' &&
      message.sender?.displayName === this.senderName;
    if (!whole || typeof content !== 'string') {
      this.bad++;
      this.problem(`bad result: ${JSON.stringify(result).slice(0, 300)}`);
      return;
    }
    if (content === WARM_UP_CONTENT) {
      subscriber.warm = true;
      return;
    }
    const [, sequence, sentAt] = content.split(' ');
    if (subscriber.seen.has(Number(sequence))) {
      this.duplicates++;
      return;
    }
    subscriber.seen.add(Number(sequence));
    this.latencies.push(arrived - Number(sentAt));
  }

  unwarmed(): number[] {
    const conversations = new Set<number>();
    for (const subscriber of this.subscribers) if (!subscriber.warm && !subscriber.closed) conversations.add(subscriber.conversation);
    return [...conversations].sort((a, b) => a - b);
  }

  progress(): Progress {
    let problems = 0;
    for (const count of this.problems.values()) problems += count;
    return { delivered: this.latencies.length, problems };
  }

  results(events: [number, number][]): DeliveryReport {
    const byConversation = new Map<number, Subscriber[]>();
    for (const subscriber of this.subscribers) {
      const list = byConversation.get(subscriber.conversation) ?? [];
      list.push(subscriber);
      byConversation.set(subscriber.conversation, list);
    }
    let expected = 0;
    let delivered = 0;
    const missingSamples: string[] = [];
    for (const [sequence, conversation] of events) {
      for (const subscriber of byConversation.get(conversation) ?? []) {
        expected++;
        if (subscriber.seen.has(sequence)) delivered++;
        else if (missingSamples.length < SAMPLES) missingSamples.push(`event ${sequence} to subscriber ${subscriber.index}`);
      }
    }
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const mean = sorted.length > 0 ? sorted.reduce((sum, value) => sum + value, 0) / sorted.length : 0;
    return {
      expected,
      delivered,
      duplicates: this.duplicates,
      bad: this.bad,
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted.at(-1) ?? 0,
        mean,
      },
      problems: [...this.problems].slice(0, SAMPLES * 2).map(([kind, count]) => `${count}× ${kind}`),
      missingSamples,
    };
  }

  reset(): void {
    this.latencies.length = 0;
    this.duplicates = 0;
    this.bad = 0;
    for (const subscriber of this.subscribers) subscriber.seen.clear();
  }

  async disconnect(): Promise<void> {
    this.closing = true;
    await Promise.all(this.subscribers.map((subscriber) => subscriber.client.dispose()));
    this.subscribers.length = 0;
  }
}

function describe(error: unknown): string {
  if (Array.isArray(error)) return JSON.stringify(error).slice(0, 300);
  if (error instanceof Error) return error.message;
  const { code, reason } = error as { code?: number; reason?: string };
  return code !== undefined ? `${code} ${reason ?? ''}` : String(error);
}

async function handle(subscribers: Subscribers, command: SubscriberCommand): Promise<SubscriberReply> {
  switch (command.type) {
    case 'connect':
      return { id: command.id, type: 'connected', report: await subscribers.connect(command) };
    case 'unwarmed':
      return { id: command.id, type: 'unwarmed', conversations: subscribers.unwarmed() };
    case 'progress':
      return { id: command.id, type: 'progress', progress: subscribers.progress() };
    case 'reset':
      subscribers.reset();
      return { id: command.id, type: 'reset' };
    case 'results':
      return { id: command.id, type: 'results', report: subscribers.results(command.events) };
    case 'disconnect':
      await subscribers.disconnect();
      return { id: command.id, type: 'disconnected' };
  }
}

// Run as the child (forked with IPC), not when the benchmark imports the protocol.
if (process.send && process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const subscribers = new Subscribers();
  process.on('message', (command: SubscriberCommand) => {
    handle(subscribers, command).then(
      (reply) => process.send!(reply),
      (error: unknown) =>
        process.send!({ id: command.id, type: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  // The benchmark went away: so do the sockets.
  process.on('disconnect', () => process.exit(0));
}

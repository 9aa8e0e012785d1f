import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '@deskgraph/runtime';
import type { DomainEvent, EventBus, EventHandler, Unsubscribe } from './event-bus.js';

const STREAM_MAX_LENGTH = 100_000;
const BLOCK_MS = 2_000;
const BATCH = 50;
const MAX_DELIVERIES = 5;
const RECLAIM_IDLE_MS = 15_000;

type StreamEntries = [id: string, fields: string[]][];

/**
 * Events go to a Redis stream (durable, consumer groups, at least once) and to a
 * pub/sub channel (live fan-out to every instance, at most once).
 */
export class RedisEventBus implements EventBus {
  private readonly commands: Redis;
  private subscriber: Redis | null = null;
  private readonly listeners = new Set<EventHandler>();
  private readonly consumers = new Set<Redis>();
  private readonly loops = new Set<Promise<void>>();
  private closed = false;
  private readonly stream: string;
  private readonly channel: string;
  private readonly consumerName = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

  constructor(private readonly options: { url: string; prefix: string; logger: Logger }) {
    this.commands = new Redis(options.url, { maxRetriesPerRequest: 2, lazyConnect: false });
    this.commands.on('error', (error) => options.logger.warn({ err: error }, 'redis event bus connection error'));
    this.stream = `${options.prefix}:events`;
    this.channel = `${options.prefix}:live`;
  }

  async publish(event: DomainEvent): Promise<void> {
    const body = JSON.stringify(event);
    await this.commands.multi().xadd(this.stream, 'MAXLEN', '~', STREAM_MAX_LENGTH, '*', 'event', body).publish(this.channel, body).exec();
  }

  subscribe(handler: EventHandler): Unsubscribe {
    this.listeners.add(handler);
    this.ensureSubscriber();
    return () => this.listeners.delete(handler);
  }

  consume(group: string, handler: EventHandler): Unsubscribe {
    const connection = new Redis(this.options.url, { maxRetriesPerRequest: null });
    connection.on('error', (error) => this.options.logger.warn({ err: error, group }, 'redis consumer connection error'));
    this.consumers.add(connection);
    const loop = this.runConsumer(connection, group, handler).catch((error: unknown) => {
      if (!this.closed) this.options.logger.error({ err: error, group }, 'event consumer stopped');
    });
    this.loops.add(loop);
    return () => {
      this.consumers.delete(connection);
      connection.disconnect();
    };
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.commands.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const connection of this.consumers) connection.disconnect();
    await Promise.allSettled([...this.loops]);
    this.subscriber?.disconnect();
    await this.commands.quit().catch(() => undefined);
  }

  private ensureSubscriber(): void {
    if (this.subscriber) return;
    const subscriber = new Redis(this.options.url, { maxRetriesPerRequest: null });
    subscriber.on('error', (error) => this.options.logger.warn({ err: error }, 'redis subscriber connection error'));
    subscriber.on('message', (_channel: string, body: string) => {
      const event = JSON.parse(body) as DomainEvent;
      for (const listener of this.listeners) {
        Promise.resolve()
          .then(() => listener(event))
          .catch((error: unknown) => this.options.logger.error({ err: error, eventId: event.id }, 'event listener failed'));
      }
    });
    void subscriber.subscribe(this.channel);
    this.subscriber = subscriber;
  }

  private async runConsumer(connection: Redis, group: string, handler: EventHandler): Promise<void> {
    try {
      await connection.xgroup('CREATE', this.stream, group, '$', 'MKSTREAM');
    } catch (error) {
      if (!String(error).includes('BUSYGROUP')) throw error;
    }
    let lastReclaim = 0;
    // Entries a handler failed on, or that a crashed instance held, come back through
    // XAUTOCLAIM once idle for RECLAIM_IDLE_MS; first drain this consumer's own pending list.
    let cursor = '0';
    while (!this.closed && this.consumers.has(connection)) {
      if (Date.now() - lastReclaim > RECLAIM_IDLE_MS) {
        lastReclaim = Date.now();
        await this.reclaim(connection, group, handler);
      }
      const reply = (await connection.xreadgroup(
        'GROUP',
        group,
        this.consumerName,
        'COUNT',
        BATCH,
        'BLOCK',
        BLOCK_MS,
        'STREAMS',
        this.stream,
        cursor,
      )) as [string, StreamEntries][] | null;
      const entries = reply?.[0]?.[1] ?? [];
      if (cursor === '0' && entries.length === 0) cursor = '>';
      for (const [id, fields] of entries) await this.handle(connection, group, handler, id, fields);
    }
  }

  private async reclaim(connection: Redis, group: string, handler: EventHandler): Promise<void> {
    const [, claimed] = (await connection.xautoclaim(this.stream, group, this.consumerName, RECLAIM_IDLE_MS, '0-0', 'COUNT', BATCH)) as [
      string,
      StreamEntries,
    ];
    for (const [id, fields] of claimed) await this.handle(connection, group, handler, id, fields);
  }

  private async handle(connection: Redis, group: string, handler: EventHandler, id: string, fields: string[] | null): Promise<void> {
    const body = fields?.[1];
    if (!body) {
      await connection.xack(this.stream, group, id);
      return;
    }
    const event = JSON.parse(body) as DomainEvent;
    try {
      await handler(event);
      await connection.xack(this.stream, group, id);
    } catch (error) {
      const pending = (await connection.xpending(this.stream, group, id, id, 1)) as [string, string, number, number][];
      const deliveries = pending[0]?.[3] ?? 1;
      if (deliveries >= MAX_DELIVERIES) {
        this.options.logger.error({ err: error, group, eventId: event.id, type: event.type }, 'event dead-lettered');
        await connection.multi().xadd(`${this.stream}:dead`, '*', 'group', group, 'event', body).xack(this.stream, group, id).exec();
      } else {
        this.options.logger.warn({ err: error, group, eventId: event.id, deliveries }, 'event handler failed; will retry');
      }
    }
  }
}

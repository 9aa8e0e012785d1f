import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@deskgraph/runtime';
import { testEnvironment } from '@deskgraph/testing';
import { RedisEventBus, createEventBus, InProcessEventBus, type DomainEvent } from '../index.js';

const logger = createLogger({ name: 'redis-event-bus-test', level: testEnvironment.logLevel });
const prefix = `deskgraph-test-${randomUUID()}`;
const stream = `${prefix}:events`;
const channel = `${prefix}:live`;

let redis: Redis;
const buses: RedisEventBus[] = [];

function newBus(): RedisEventBus {
  const bus = new RedisEventBus({ url: testEnvironment.redisUrl, prefix, logger });
  buses.push(bus);
  return bus;
}

function event(type = 'conversation.created'): DomainEvent {
  return {
    id: randomUUID(),
    type,
    tenantId: randomUUID(),
    aggregateId: randomUUID(),
    source: 'support',
    occurredAt: new Date().toISOString(),
    payload: { subject: 'Printer on fire', tags: ['urgent'] },
  };
}

/** Resolves once `count` connections listen on the live channel (pub/sub drops earlier messages). */
async function listeners(count: number): Promise<void> {
  await vi.waitFor(
    async () => {
      const [, subscribers] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
      expect(subscribers).toBeGreaterThanOrEqual(count);
    },
    { timeout: 5000, interval: 20 },
  );
}

/** Resolves once `count` consumers of `group` are reading (a group starts at the stream's end). */
async function consumers(group: string, count: number): Promise<string[]> {
  let names: string[] = [];
  await vi.waitFor(
    async () => {
      const groups = (await redis.xinfo('GROUPS', stream).catch(() => [])) as unknown[][];
      expect(groups.some((fields) => fields[1] === group)).toBe(true);
      const infos = (await redis.xinfo('CONSUMERS', stream, group)) as unknown[][];
      names = infos.map((fields) => String(fields[1]));
      expect(names.length).toBeGreaterThanOrEqual(count);
    },
    { timeout: 5000, interval: 20 },
  );
  return names;
}

/** Entries of `group` delivered but not yet acknowledged: [id, consumer, idle ms, deliveries]. */
async function pending(group: string): Promise<[string, string, number, number][]> {
  return (await redis.xpending(stream, group, '-', '+', 100)) as [string, string, number, number][];
}

beforeAll(() => {
  redis = new Redis(testEnvironment.redisUrl);
});
afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});
afterAll(async () => {
  await redis.del(stream, `${stream}:dead`);
  await redis.quit();
});

describe('RedisEventBus', () => {
  it('answers ping against a live Redis, and false against none', async () => {
    expect(await newBus().ping()).toBe(true);
    const unreachable = new RedisEventBus({ url: 'redis://127.0.0.1:1', prefix, logger });
    try {
      expect(await unreachable.ping()).toBe(false);
    } finally {
      await unreachable.close();
    }
  });

  it('delivers an event published on one instance to subscribe listeners on another, unchanged', async () => {
    const publisher = newBus();
    const listener = newBus();
    const received: DomainEvent[] = [];
    listener.subscribe((delivered) => void received.push(delivered));
    await listeners(1);
    const published = event();
    await publisher.publish(published);
    await vi.waitFor(() => expect(received).toEqual([published]), { timeout: 3000, interval: 10 });
  });

  it('stops delivering to a listener that unsubscribed', async () => {
    const publisher = newBus();
    const listener = newBus();
    const kept: string[] = [];
    const dropped: string[] = [];
    listener.subscribe((delivered) => void kept.push(delivered.id));
    const unsubscribe = listener.subscribe((delivered) => void dropped.push(delivered.id));
    await listeners(1);
    unsubscribe();
    const published = event();
    await publisher.publish(published);
    await vi.waitFor(() => expect(kept).toEqual([published.id]), { timeout: 3000, interval: 10 });
    expect(dropped).toEqual([]);
  });

  it('hands each event to exactly one instance of a consumer group', async () => {
    const group = `group-${randomUUID()}`;
    const handledBy = new Map<string, string[]>();
    const record = (instance: string) => (delivered: DomainEvent) => {
      handledBy.set(delivered.id, [...(handledBy.get(delivered.id) ?? []), instance]);
    };
    const first = newBus();
    const second = newBus();
    first.consume(group, record('first'));
    second.consume(group, record('second'));
    await consumers(group, 2);

    const publisher = newBus();
    const published = Array.from({ length: 30 }, () => event());
    for (const item of published) await publisher.publish(item);

    await vi.waitFor(() => expect(handledBy.size).toBe(published.length), { timeout: 5000, interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const item of published) expect(handledBy.get(item.id)).toHaveLength(1);
    expect(await pending(group)).toEqual([]);
  });

  it('gives every consumer group its own copy of each event', async () => {
    const [indexer, notifier] = [`indexer-${randomUUID()}`, `notifier-${randomUUID()}`];
    const bus = newBus();
    const seen: string[] = [];
    bus.consume(indexer, (delivered) => void seen.push(`indexer:${delivered.id}`));
    bus.consume(notifier, (delivered) => void seen.push(`notifier:${delivered.id}`));
    await consumers(indexer, 1);
    await consumers(notifier, 1);
    const published = event();
    await newBus().publish(published);
    await vi.waitFor(() => expect(seen.sort()).toEqual([`indexer:${published.id}`, `notifier:${published.id}`]), { timeout: 5000 });
  });

  it('delivers an event again to another instance after its handler threw and the entry went idle', async () => {
    const group = `retry-${randomUUID()}`;
    const failing = newBus();
    let failures = 0;
    failing.consume(group, () => {
      failures++;
      throw new Error('database unavailable');
    });
    const [failingConsumer] = await consumers(group, 1);
    const published = event();
    await newBus().publish(published);
    await vi.waitFor(() => expect(failures).toBe(1), { timeout: 5000, interval: 10 });
    const [entry] = await pending(group);
    expect(entry).toMatchObject([expect.any(String), failingConsumer, expect.any(Number), 1]);

    // The failing instance goes away; its entry has been idle longer than the reclaim threshold (30 s).
    await failing.close();
    await redis.call('XCLAIM', stream, group, failingConsumer!, '0', entry![0], 'IDLE', '60000', 'JUSTID');

    const handled: DomainEvent[] = [];
    newBus().consume(group, (delivered) => void handled.push(delivered));
    await vi.waitFor(() => expect(handled).toEqual([published]), { timeout: 5000, interval: 10 });
    await vi.waitFor(async () => expect(await pending(group)).toEqual([]), { timeout: 3000 });
    expect(failures).toBe(1);
  });

  it('dead-letters an event whose handler keeps failing, and acknowledges it', async () => {
    const group = `dead-${randomUUID()}`;
    const first = newBus();
    first.consume(group, () => {
      throw new Error('poison');
    });
    const [firstConsumer] = await consumers(group, 1);
    const published = event('poison.pill');
    await newBus().publish(published);
    await vi.waitFor(async () => expect(await pending(group)).toHaveLength(1), { timeout: 5000, interval: 10 });
    const [entry] = await pending(group);
    await first.close();
    // As if it had already been delivered four times and left idle.
    await redis.call('XCLAIM', stream, group, firstConsumer!, '0', entry![0], 'IDLE', '60000', 'RETRYCOUNT', '4', 'JUSTID');

    let lastAttempts = 0;
    newBus().consume(group, () => {
      lastAttempts++;
      throw new Error('still poison');
    });
    await vi.waitFor(async () => expect(await pending(group)).toEqual([]), { timeout: 5000, interval: 20 });
    expect(lastAttempts).toBe(1);
    const dead = (await redis.xrange(`${stream}:dead`, '-', '+')) as [string, string[]][];
    const letters = dead.map(
      ([, fields]) =>
        Object.fromEntries([
          [fields[0], fields[1]],
          [fields[2], fields[3]],
        ]) as Record<string, string>,
    );
    expect(letters).toContainEqual({ group, event: JSON.stringify(published) });
  });

  it('stops a consumer when it unsubscribes', async () => {
    const group = `stop-${randomUUID()}`;
    const bus = newBus();
    const handled: string[] = [];
    const stop = bus.consume(group, (delivered) => void handled.push(delivered.id));
    await consumers(group, 1);
    stop();
    await newBus().publish(event());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(handled).toEqual([]);
  });

  it('closes promptly while consumers are blocked waiting for events', async () => {
    const bus = new RedisEventBus({ url: testEnvironment.redisUrl, prefix, logger });
    const group = `close-${randomUUID()}`;
    bus.consume(group, () => undefined);
    bus.consume(`${group}-2`, () => undefined);
    bus.subscribe(() => undefined);
    await consumers(group, 1);
    await listeners(1);
    const started = Date.now();
    await bus.close();
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('createEventBus', () => {
  it('uses Redis when a URL is configured and the in-process bus otherwise', async () => {
    const withRedis = createEventBus({ redisUrl: testEnvironment.redisUrl, prefix, logger });
    const withoutRedis = createEventBus({ redisUrl: undefined, prefix, logger });
    try {
      expect(withRedis).toBeInstanceOf(RedisEventBus);
      expect(withoutRedis).toBeInstanceOf(InProcessEventBus);
    } finally {
      await withRedis.close();
      await withoutRedis.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@deskgraph/runtime';
import { testEnvironment } from '@deskgraph/testing';
import { MemoryRateLimitStore, RedisRateLimitStore, type RateLimitStore } from '../rate-limit-store.js';

const logger = createLogger({ name: 'rate-limit-store-test', level: testEnvironment.logLevel });
const prefix = `deskgraph-test-${randomUUID()}`;
// Long windows, so a test does not straddle a window boundary by accident.
const HOUR = 3600;

/**
 * Resolves once the store answers. The store refuses commands until its connection is up
 * (no offline queue), so a test waits for it rather than count a refusal as a hit.
 */
async function connected(store: RedisRateLimitStore): Promise<RedisRateLimitStore> {
  await store.connect();
  return store;
}

describe('MemoryRateLimitStore', () => {
  let store: MemoryRateLimitStore;
  beforeAll(() => {
    store = new MemoryRateLimitStore();
  });
  afterAll(() => store.close());
  afterEach(() => vi.useRealTimers());

  it('counts hits per key within a window aligned to the clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T10:00:20.000Z') });
    expect(await store.hit('a', 60)).toEqual({ count: 1, resetAt: Date.parse('2026-03-01T10:01:00.000Z') });
    expect(await store.hit('a', 60)).toEqual({ count: 2, resetAt: Date.parse('2026-03-01T10:01:00.000Z') });
    expect(await store.hit('b', 60)).toEqual({ count: 1, resetAt: Date.parse('2026-03-01T10:01:00.000Z') });
  });

  it('starts over when the window has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T10:00:58.000Z') });
    await store.hit('c', 60);
    expect((await store.hit('c', 60)).count).toBe(2);
    vi.setSystemTime(new Date('2026-03-01T10:01:00.000Z'));
    expect(await store.hit('c', 60)).toEqual({ count: 1, resetAt: Date.parse('2026-03-01T10:02:00.000Z') });
  });
});

describe('RedisRateLimitStore', () => {
  let store: RedisRateLimitStore;
  let redis: Redis;
  beforeAll(async () => {
    store = await connected(new RedisRateLimitStore(testEnvironment.redisUrl, prefix, logger));
    redis = new Redis(testEnvironment.redisUrl);
  });
  afterAll(async () => {
    await store.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('counts hits per key in the current window', async () => {
    const key = `standard:user:${randomUUID()}`;
    const first = await store.hit(key, HOUR);
    expect(first.count).toBe(1);
    expect(first.resetAt % (HOUR * 1000)).toBe(0);
    expect(first.resetAt).toBeGreaterThan(Date.now());
    expect(first.resetAt - Date.now()).toBeLessThanOrEqual(HOUR * 1000);
    expect(await store.hit(key, HOUR)).toEqual({ count: 2, resetAt: first.resetAt });
    expect(await store.hit(key, HOUR)).toEqual({ count: 3, resetAt: first.resetAt });
    expect((await store.hit(`standard:user:${randomUUID()}`, HOUR)).count).toBe(1);
  });

  it('shares counters between store instances with the same prefix, and not across prefixes', async () => {
    const key = `search:key:${randomUUID()}`;
    const other = await connected(new RedisRateLimitStore(testEnvironment.redisUrl, prefix, logger));
    const foreign = await connected(new RedisRateLimitStore(testEnvironment.redisUrl, `${prefix}-other`, logger));
    try {
      await store.hit(key, HOUR);
      expect((await other.hit(key, HOUR)).count).toBe(2);
      expect((await foreign.hit(key, HOUR)).count).toBe(1);
    } finally {
      await other.close();
      await foreign.close();
      const foreignKeys = await redis.keys(`${prefix}-other:*`);
      if (foreignKeys.length > 0) await redis.del(...foreignKeys);
    }
  });

  it('lets counters expire shortly after their window ends', async () => {
    const key = `webhook:ip:${randomUUID()}`;
    const { resetAt } = await store.hit(key, HOUR);
    const [redisKey] = await redis.keys(`${prefix}:ratelimit:${key}:*`);
    expect(redisKey).toBeDefined();
    const expiresAt = Date.now() + (await redis.pttl(redisKey!));
    expect(Math.abs(expiresAt - (resetAt + 1000))).toBeLessThan(2000);
  });

  it('starts a new count in the next window', async () => {
    const key = `standard:user:${randomUUID()}`;
    const first = await store.hit(key, 1);
    await new Promise((resolve) => setTimeout(resolve, first.resetAt - Date.now() + 20));
    const next = await store.hit(key, 1);
    expect(next.count).toBe(1);
    expect(next.resetAt).toBeGreaterThan(first.resetAt);
  });

  it('fails fast instead of queueing when Redis cannot be reached', async () => {
    const unreachable: RateLimitStore = new RedisRateLimitStore('redis://127.0.0.1:1', prefix, logger);
    try {
      const started = Date.now();
      await expect(unreachable.hit('standard:user:x', 60)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      await unreachable.close();
    }
  });
});

import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '@deskgraph/runtime';
import { testEnvironment } from '@deskgraph/testing';
import { MemoryRateLimitStore, RedisRateLimitStore, type RateLimitStore } from '../rate-limit-store.js';
import { RateLimiter, rateLimitHeaders, type RateLimitDecision } from '../rate-limiter.js';

const logger = createLogger({ name: 'rate-limiter-test', level: testEnvironment.logLevel });
const limits = { windowSeconds: 60, standard: 3, search: 2, ai: 1, webhook: 1000 };
const NOW = Date.parse('2026-03-01T10:00:15.000Z');
const WINDOW_END = Date.parse('2026-03-01T10:01:00.000Z');

describe('RateLimiter', () => {
  let store: MemoryRateLimitStore;
  let limiter: RateLimiter;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    store = new MemoryRateLimitStore();
    limiter = new RateLimiter(store, limits, logger);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await store.close();
  });

  it('allows up to the limit with decreasing remaining counts, then refuses', async () => {
    const decisions: RateLimitDecision[] = [];
    for (let request = 0; request < 5; request++) decisions.push(await limiter.check('standard', 'user:1'));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([2, 1, 0, 0, 0]);
    for (const decision of decisions) {
      expect(decision).toMatchObject({ category: 'standard', limit: 3, resetAt: WINDOW_END / 1000, retryAfterSeconds: 45 });
    }
  });

  it('keeps separate budgets per category and per subject', async () => {
    expect((await limiter.check('ai', 'user:1')).allowed).toBe(true);
    expect((await limiter.check('ai', 'user:1')).allowed).toBe(false);
    expect(await limiter.check('ai', 'user:2')).toMatchObject({ allowed: true, limit: 1, remaining: 0 });
    expect(await limiter.check('search', 'user:1')).toMatchObject({ allowed: true, limit: 2, remaining: 1 });
    expect(await limiter.check('standard', 'user:1')).toMatchObject({ allowed: true, limit: 3, remaining: 2 });
  });

  it('allows again once the window has passed', async () => {
    await limiter.check('ai', 'user:1');
    expect((await limiter.check('ai', 'user:1')).allowed).toBe(false);
    vi.setSystemTime(WINDOW_END);
    expect(await limiter.check('ai', 'user:1')).toMatchObject({ allowed: true, remaining: 0, resetAt: WINDOW_END / 1000 + 60 });
  });

  it('asks at least one second of patience even at the very end of a window', async () => {
    vi.setSystemTime(WINDOW_END - 100);
    expect((await limiter.check('standard', 'user:1')).retryAfterSeconds).toBe(1);
  });
});

describe('RateLimiter when its store fails', () => {
  afterEach(() => vi.useRealTimers());

  it('lets the request through with the full budget when the store throws', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
    const failing: RateLimitStore = {
      hit: () => Promise.reject(new Error('connection refused')),
      close: async () => undefined,
    };
    const decision = await new RateLimiter(failing, limits, logger).check('search', 'user:1');
    expect(decision).toEqual({ category: 'search', allowed: true, limit: 2, remaining: 2, resetAt: NOW / 1000 + 60, retryAfterSeconds: 0 });
  });

  describe('with Redis unreachable', () => {
    const store = new RedisRateLimitStore('redis://127.0.0.1:1', 'deskgraph-test-unreachable', logger);
    afterAll(() => store.close());

    it('keeps answering allowed: true', async () => {
      const limiter = new RateLimiter(store, limits, logger);
      for (let request = 0; request < 5; request++) expect((await limiter.check('ai', 'user:1')).allowed).toBe(true);
    });
  });
});

describe('rateLimitHeaders', () => {
  const decision: RateLimitDecision = {
    category: 'standard',
    allowed: true,
    limit: 100,
    remaining: 42,
    resetAt: 1_772_359_260,
    retryAfterSeconds: 17,
  };

  it('announces limit, remaining and reset on an allowed request', () => {
    expect(rateLimitHeaders(decision)).toEqual({
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '42',
      'X-RateLimit-Reset': '1772359260',
    });
  });

  it('adds Retry-After when the request is refused', () => {
    expect(rateLimitHeaders({ ...decision, allowed: false, remaining: 0 })).toEqual({
      'X-RateLimit-Limit': '100',
      'X-RateLimit-Remaining': '0',
      'X-RateLimit-Reset': '1772359260',
      'Retry-After': '17',
    });
  });
});

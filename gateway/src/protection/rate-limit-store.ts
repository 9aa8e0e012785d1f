import { Redis } from 'ioredis';
import type { Logger } from '@deskgraph/runtime';

export interface WindowCount {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** When the window ends (epoch milliseconds). */
  resetAt: number;
}

/** Fixed-window counters; one implementation per deployment shape. */
export interface RateLimitStore {
  hit(key: string, windowSeconds: number): Promise<WindowCount>;
  close(): Promise<void>;
}

/** The single-process default. Windows are aligned to the clock, so counts are comparable across restarts. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, WindowCount>();
  private readonly sweeper = setInterval(() => this.sweep(), 60_000).unref();

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    const now = Date.now();
    const windowMs = windowSeconds * 1000;
    const resetAt = Math.floor(now / windowMs) * windowMs + windowMs;
    const current = this.windows.get(key);
    const next = current && current.resetAt === resetAt ? { count: current.count + 1, resetAt } : { count: 1, resetAt };
    this.windows.set(key, next);
    return next;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
  }
}

/** Shared by every gateway instance: one counter per key and window in Redis. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    // No offline queue: while Redis is away a request must not wait for it (the limiter lets it through).
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
    this.redis.on('error', (error) => logger.warn({ err: error }, 'rate limit store connection error'));
  }

  /** Connects before the gateway accepts requests; an unreachable Redis is logged and retried in the background. */
  async connect(): Promise<void> {
    await this.redis.connect().catch((error: unknown) => this.logger.error({ err: error }, 'rate limit store: Redis unreachable at start'));
  }

  async hit(key: string, windowSeconds: number): Promise<WindowCount> {
    const windowMs = windowSeconds * 1000;
    const resetAt = Math.floor(Date.now() / windowMs) * windowMs + windowMs;
    const redisKey = `${this.prefix}:ratelimit:${key}:${resetAt}`;
    const results = await this.redis
      .multi()
      .incr(redisKey)
      .pexpireat(redisKey, resetAt + 1000)
      .exec();
    const count = Number(results?.[0]?.[1] ?? 1);
    return { count, resetAt };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

/** Redis when configured (shared by every instance), otherwise in memory. */
export async function createRateLimitStore(redisUrl: string | undefined, prefix: string, logger: Logger): Promise<RateLimitStore> {
  if (!redisUrl) return new MemoryRateLimitStore();
  const store = new RedisRateLimitStore(redisUrl, prefix, logger);
  await store.connect();
  return store;
}

import type { Logger } from '@deskgraph/runtime';
import type { GatewayOptions, RateLimitCategory } from '../options.js';
import type { RateLimitStore } from './rate-limit-store.js';

export interface RateLimitDecision {
  category: RateLimitCategory;
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch seconds when the window resets (the `X-RateLimit-Reset` header). */
  resetAt: number;
  retryAfterSeconds: number;
}

/**
 * The 000 document's limits per caller and category (standard 100/min, search 30/min,
 * AI 20/min, webhooks 1000/min). If the store fails the request is let through:
 * availability matters more than an exact count.
 */
export class RateLimiter {
  constructor(
    private readonly store: RateLimitStore,
    private readonly limits: GatewayOptions['rateLimits'],
    private readonly logger: Logger,
  ) {}

  async check(category: RateLimitCategory, subject: string): Promise<RateLimitDecision> {
    const limit = this.limits[category];
    const windowSeconds = this.limits.windowSeconds;
    try {
      const { count, resetAt } = await this.store.hit(`${category}:${subject}`, windowSeconds);
      return {
        category,
        allowed: count <= limit,
        limit,
        remaining: Math.max(0, limit - count),
        resetAt: Math.ceil(resetAt / 1000),
        retryAfterSeconds: Math.max(1, Math.ceil((resetAt - Date.now()) / 1000)),
      };
    } catch (error) {
      this.logger.warn({ err: error, category }, 'rate limit store unavailable; request allowed');
      return {
        category,
        allowed: true,
        limit,
        remaining: limit,
        resetAt: Math.ceil(Date.now() / 1000) + windowSeconds,
        retryAfterSeconds: 0,
      };
    }
  }
}

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetAt),
  };
  if (!decision.allowed) headers['Retry-After'] = String(decision.retryAfterSeconds);
  return headers;
}

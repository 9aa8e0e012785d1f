import type { Logger } from '@deskgraph/runtime';
import type { EventBus } from './event-bus.js';
import { InProcessEventBus } from './in-process-event-bus.js';
import { RedisEventBus } from './redis-event-bus.js';

/** Redis when a URL is configured, otherwise the in-process bus. */
export function createEventBus(options: { redisUrl: string | undefined; prefix: string; logger: Logger }): EventBus {
  if (options.redisUrl) return new RedisEventBus({ url: options.redisUrl, prefix: options.prefix, logger: options.logger });
  return new InProcessEventBus(options.logger);
}

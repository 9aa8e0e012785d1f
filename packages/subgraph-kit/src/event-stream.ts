import type { DomainEvent, EventBus } from '@deskgraph/events';

export interface EventStreamOptions {
  /** Event types to pass on. */
  types: readonly string[];
  /** Further condition (tenant, permission, arguments). */
  filter?: (event: DomainEvent) => boolean;
  /** Events waiting for a slow reader before the stream fails (default 1000). */
  bufferLimit?: number;
  /** Runs before each event is handed out (fresh loaders per event). */
  beforeEach?: () => void;
}

/** Thrown into a subscription whose reader fell too far behind. */
export class SlowConsumerError extends Error {
  constructor(limit: number) {
    super(`The subscriber fell ${limit} events behind and was dropped`);
  }
}

/**
 * The live domain events of the bus as an async iterator for a subscription resolver.
 * `return()` detaches from the bus at once (also while a `next()` is waiting), so a
 * closed subscription never leaks a listener; the buffer is bounded.
 */
export function eventStream(bus: EventBus, options: EventStreamOptions): AsyncIterableIterator<DomainEvent> {
  const limit = options.bufferLimit ?? 1000;
  const queue: DomainEvent[] = [];
  let waiting: { resolve: (result: IteratorResult<DomainEvent>) => void; reject: (error: Error) => void } | null = null;
  let failure: Error | null = null;
  let done = false;

  const finish = (): void => {
    if (done) return;
    done = true;
    unsubscribe();
    queue.length = 0;
  };

  const unsubscribe = bus.subscribe((event) => {
    if (done || !options.types.includes(event.type) || (options.filter && !options.filter(event))) return;
    if (waiting) {
      const pending = waiting;
      waiting = null;
      options.beforeEach?.();
      pending.resolve({ value: event, done: false });
      return;
    }
    if (queue.length >= limit) {
      failure = new SlowConsumerError(limit);
      finish();
      return;
    }
    queue.push(event);
  });

  const iterator: AsyncIterableIterator<DomainEvent> = {
    next() {
      if (failure) return Promise.reject(failure);
      const event = queue.shift();
      if (event) {
        options.beforeEach?.();
        return Promise.resolve({ value: event, done: false });
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return() {
      finish();
      if (waiting) waiting.resolve({ value: undefined, done: true });
      waiting = null;
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(error?: unknown) {
      finish();
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

import type { FormattedExecutionResult } from 'graphql';
import type { ResultStream } from './subscription-executor.js';

interface Group {
  upstream: ResultStream;
  subscribers: Set<Subscriber>;
}

/**
 * Identical subscriptions (same document, variables and authorization scope) share one
 * upstream stream and one resolution per event; each subscriber reads from a bounded queue.
 */
export class SubscriptionHub {
  private readonly groups = new Map<string, Promise<Group | FormattedExecutionResult>>();
  private readonly open = new Set<Group>();

  /** Streams currently open and their subscribers (metrics, tests). */
  stats(): { groups: number; subscribers: number } {
    let subscribers = 0;
    for (const group of this.open) subscribers += group.subscribers.size;
    return { groups: this.open.size, subscribers };
  }

  /**
   * Joins the group of `key`, starting its upstream with `start` when there is none.
   * A subscriber that falls `queueLimit` results behind is dropped (`onOverflow`).
   */
  async subscribe(
    key: string,
    start: () => Promise<ResultStream | FormattedExecutionResult>,
    options: { queueLimit: number; onOverflow: () => void },
  ): Promise<ResultStream | FormattedExecutionResult> {
    let pending = this.groups.get(key);
    if (!pending) {
      pending = start().then((started) => {
        if (!(Symbol.asyncIterator in started)) return started;
        const group: Group = { upstream: started, subscribers: new Set() };
        this.open.add(group);
        void this.pump(key, group);
        return group;
      });
      this.groups.set(key, pending);
      // A stream that could not start is not shared: the next subscriber tries again.
      void pending.then(
        (started) => {
          if (!('subscribers' in started) && this.groups.get(key) === pending) this.groups.delete(key);
        },
        () => {
          if (this.groups.get(key) === pending) this.groups.delete(key);
        },
      );
    }
    const group = await pending;
    if (!('subscribers' in group)) return group;
    const subscriber = new Subscriber(options.queueLimit, options.onOverflow, () => this.leave(key, group, subscriber));
    group.subscribers.add(subscriber);
    return subscriber;
  }

  /** Ends every stream (shutdown, schema reload): subscribers complete. */
  async closeAll(): Promise<void> {
    const groups = await Promise.all([...this.groups.values()]);
    this.groups.clear();
    for (const group of groups) {
      if (!('subscribers' in group)) continue;
      for (const subscriber of group.subscribers) subscriber.end();
      await group.upstream.return?.();
    }
  }

  private async pump(key: string, group: Group): Promise<void> {
    try {
      for (;;) {
        const next = await group.upstream.next();
        if (next.done) break;
        for (const subscriber of group.subscribers) subscriber.push(next.value);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      for (const subscriber of group.subscribers) subscriber.push({ errors: [{ message, extensions: { code: 'INTERNAL_ERROR' } }] });
    } finally {
      this.open.delete(group);
      for (const subscriber of group.subscribers) subscriber.end();
      group.subscribers.clear();
      if (this.groups.get(key) && (await this.groups.get(key)) === group) this.groups.delete(key);
    }
  }

  private leave(key: string, group: Group, subscriber: Subscriber): void {
    group.subscribers.delete(subscriber);
    if (group.subscribers.size > 0) return;
    this.open.delete(group);
    void this.groups.get(key)?.then((current) => {
      if (current === group) this.groups.delete(key);
    });
    void group.upstream.return?.();
  }
}

/** One subscriber's view of a group: a bounded queue read as an async generator. */
class Subscriber implements ResultStream {
  private readonly queue: FormattedExecutionResult[] = [];
  private waiting: ((result: IteratorResult<FormattedExecutionResult>) => void) | null = null;
  private ended = false;

  constructor(
    private readonly limit: number,
    private readonly onOverflow: () => void,
    private readonly onLeave: () => void,
  ) {}

  push(result: FormattedExecutionResult): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: result, done: false });
      return;
    }
    if (this.queue.length >= this.limit) {
      this.finish();
      this.onOverflow();
      return;
    }
    this.queue.push(result);
  }

  /** The group ended: deliver what is queued, then complete. */
  end(): void {
    this.ended = true;
    if (this.waiting && this.queue.length === 0) {
      this.waiting({ value: undefined, done: true });
      this.waiting = null;
    }
  }

  next(): Promise<IteratorResult<FormattedExecutionResult>> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve({ value: queued, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  return(): Promise<IteratorResult<FormattedExecutionResult>> {
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<FormattedExecutionResult>> {
    this.finish();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private left = false;

  private finish(): void {
    this.ended = true;
    this.queue.length = 0;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = null;
    if (this.left) return;
    this.left = true;
    this.onLeave();
  }
}

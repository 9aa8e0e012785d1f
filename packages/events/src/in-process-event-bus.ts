import type { Logger } from '@deskgraph/runtime';
import type { DomainEvent, EventBus, EventHandler, Unsubscribe } from './event-bus.js';

const MAX_ATTEMPTS = 5;

/** The single-process default: the same contract as Redis, without persistence across restarts. */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Set<EventHandler>();
  private readonly groups = new Map<string, EventHandler>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  async publish(event: DomainEvent): Promise<void> {
    for (const listener of this.listeners) this.track(this.deliverLive(listener, event));
    for (const [group, handler] of this.groups) this.track(this.deliverDurable(group, handler, event));
  }

  subscribe(handler: EventHandler): Unsubscribe {
    this.listeners.add(handler);
    return () => this.listeners.delete(handler);
  }

  consume(group: string, handler: EventHandler): Unsubscribe {
    if (this.groups.has(group)) throw new Error(`Consumer group ${group} already has a handler in this process`);
    this.groups.set(group, handler);
    return () => this.groups.delete(group);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  /** Waits until every delivery started so far has finished (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async close(): Promise<void> {
    await this.drain();
    this.listeners.clear();
    this.groups.clear();
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliverLive(listener: EventHandler, event: DomainEvent): Promise<void> {
    try {
      await listener(event);
    } catch (error) {
      this.logger.error({ err: error, eventId: event.id, type: event.type }, 'event listener failed');
    }
  }

  private async deliverDurable(group: string, handler: EventHandler, event: DomainEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(event);
        return;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS) {
          this.logger.error({ err: error, group, eventId: event.id, type: event.type }, 'event dead-lettered');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }
}

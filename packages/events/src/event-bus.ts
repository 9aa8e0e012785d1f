/** A fact that happened in one subgraph, published after its transaction committed. */
export interface DomainEvent<TPayload = Record<string, unknown>> {
  /** Unique per event; consumers use it to process each event once. */
  id: string;
  /** Dotted name, e.g. `conversation.created`. */
  type: string;
  tenantId: string;
  /** The id of the entity the event is about. */
  aggregateId: string;
  /** The subgraph that produced it. */
  source: string;
  occurredAt: string;
  payload: TPayload;
}

export type EventHandler = (event: DomainEvent) => Promise<void> | void;
export type Unsubscribe = () => void;

/**
 * Carries domain events between subgraphs and instances.
 * - `subscribe`: live fan-out to every listener on every instance (at most once; for subscriptions).
 * - `consume`: a named consumer group; each event is handled by one instance of the group,
 *   retried until the handler succeeds (at least once; handlers must be idempotent).
 */
export interface EventBus {
  publish(event: DomainEvent): Promise<void>;
  subscribe(handler: EventHandler): Unsubscribe;
  consume(group: string, handler: EventHandler): Unsubscribe;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

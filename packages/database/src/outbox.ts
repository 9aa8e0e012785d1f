import { randomUUID } from 'node:crypto';
import { defineEntity, type EventSubscriber, type FlushEventArgs, type InferEntity } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { DomainEvent, EventBus } from '@deskgraph/events';
import type { Logger } from '@deskgraph/runtime';

/** A domain event written in the same transaction as the change it describes. */
export const OutboxEventEntity = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox',
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    type: p.string().length(100),
    aggregateId: p.string().length(100),
    payload: p.json<Record<string, unknown>>(),
    occurredAt: p.datetime(),
    publishedAt: p.datetime().nullable(),
  }),
  indexes: [
    {
      name: 'outbox_unpublished_idx',
      expression: (table, columns, indexName) =>
        `create index "${indexName}" on ${table.toString()} ("${columns.occurredAt}") where "${columns.publishedAt}" is null`,
    },
  ],
});
export type OutboxEvent = InferEntity<typeof OutboxEventEntity>;

export interface NewDomainEvent {
  type: string;
  tenantId: string;
  aggregateId: string;
  payload: Record<string, unknown>;
}

/** Queues an event in the current unit of work; it is published only if the transaction commits. */
export function recordEvent(em: EntityManager, event: NewDomainEvent): void {
  em.create(OutboxEventEntity, {
    id: randomUUID(),
    tenantId: event.tenantId,
    type: event.type,
    aggregateId: event.aggregateId,
    payload: event.payload,
    occurredAt: new Date(),
    publishedAt: null,
  });
}

const BATCH = 100;

/**
 * Publishes committed outbox rows to the event bus, oldest first. Runs right after a
 * commit that wrote events, and on a timer for rows left by a crashed process.
 * Several instances may run it: rows are claimed with FOR UPDATE SKIP LOCKED.
 */
export class OutboxRelay implements EventSubscriber {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private wroteEvents = false;

  constructor(
    private readonly options: { orm: MikroORM; bus: EventBus; source: string; schema: string; logger: Logger; intervalMs?: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.options.intervalMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  onFlush(args: FlushEventArgs): void {
    if (args.uow.getChangeSets().some((changeSet) => changeSet.meta.className === 'OutboxEvent')) this.wroteEvents = true;
  }

  afterTransactionCommit(): void {
    if (!this.wroteEvents) return;
    this.wroteEvents = false;
    this.kick();
  }

  /** Runs the relay now, or once more after the current run. */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.options.logger.error({ err: error }, 'outbox relay failed'))
      .finally(() => {
        this.running = null;
        if (this.again && this.timer) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Publishes until no unpublished row is left; resolves when done (tests await it). */
  async drain(): Promise<void> {
    while ((await this.relayBatch()) === BATCH) {
      // keep going while full batches come back
    }
  }

  private async relayBatch(): Promise<number> {
    const knex = this.options.orm.em.getConnection().getKnex();
    const table = `${this.options.schema}.outbox`;
    return knex.transaction(async (trx) => {
      const rows = (await trx
        .select('id', 'tenant_id', 'type', 'aggregate_id', 'payload', 'occurred_at')
        .from(table)
        .whereNull('published_at')
        .orderBy('occurred_at')
        .limit(BATCH)
        .forUpdate()
        .skipLocked()) as {
        id: string;
        tenant_id: string;
        type: string;
        aggregate_id: string;
        payload: Record<string, unknown>;
        occurred_at: Date;
      }[];
      for (const row of rows) {
        const event: DomainEvent = {
          id: row.id,
          type: row.type,
          tenantId: row.tenant_id,
          aggregateId: row.aggregate_id,
          source: this.options.source,
          occurredAt: new Date(row.occurred_at).toISOString(),
          payload: row.payload,
        };
        await this.options.bus.publish(event);
      }
      if (rows.length > 0) {
        await trx(table)
          .whereIn(
            'id',
            rows.map((row) => row.id),
          )
          .update({ published_at: new Date() });
      }
      return rows.length;
    });
  }
}

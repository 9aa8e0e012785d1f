import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { DomainEvent } from '@deskgraph/events';
import { TENANT_FILTER } from './tenant-scope.js';

/** Which events a consumer has already applied: the idempotency record of at-least-once delivery. */
export const ProcessedEventEntity = defineEntity({
  name: 'ProcessedEvent',
  tableName: 'processed_events',
  properties: (p) => ({
    consumer: p.string().length(100).primary(),
    eventId: p.uuid().primary(),
    processedAt: p.datetime(),
  }),
});
export type ProcessedEvent = InferEntity<typeof ProcessedEventEntity>;

/**
 * Applies `apply` to an event at most once per consumer: the marker row and the
 * consumer's changes commit together, so a redelivered event is skipped.
 * `apply` gets an EntityManager scoped to the event's tenant.
 */
export async function applyOnce(
  orm: MikroORM,
  consumer: string,
  event: DomainEvent,
  apply: (em: EntityManager) => Promise<void>,
): Promise<boolean> {
  const schema = orm.config.get('schema');
  const em = orm.em.fork({ clear: true, useContext: false });
  em.setFilterParams(TENANT_FILTER, { tenantId: event.tenantId });
  return em.transactional(async (tx) => {
    const inserted = await tx
      .getConnection()
      .execute<{ event_id: string }[]>(
        `insert into "${schema}"."processed_events" (consumer, event_id, processed_at) values (?, ?, now()) on conflict do nothing returning event_id`,
        [consumer, event.id],
        'all',
        tx.getTransactionContext(),
      );
    if (inserted.length === 0) return false;
    await apply(tx);
    return true;
  });
}

import { raw } from '@mikro-orm/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { applyOnce } from '@deskgraph/database';
import type { DomainEvent } from '@deskgraph/events';
import { TenantActivityEntity } from './tenant-activity.entity.js';

const CONSUMER = 'analytics.tenant-activity';

/** How each counted event type changes a tenant's counts. */
const deltas: Record<string, { users: number; teams: number }> = {
  'tenant.created': { users: 0, teams: 0 },
  'user.created': { users: 1, teams: 0 },
  'team.created': { users: 0, teams: 1 },
  'team.deleted': { users: 0, teams: -1 },
};

/**
 * Applies one identity event to its tenant's activity row, at most once per event id.
 * One atomic upsert: events of a tenant may arrive concurrently and in any order
 * (a `user.created` before its `tenant.created`), and counts never go below zero.
 * Resolves true when the event changed the counts.
 */
export async function applyTenantActivityEvent(orm: MikroORM, event: DomainEvent): Promise<boolean> {
  const delta = deltas[event.type];
  if (!delta) return false;
  return applyOnce(orm, CONSUMER, event, async (em) => {
    const occurredAt = new Date(event.occurredAt);
    await em
      .createQueryBuilder(TenantActivityEntity)
      .insert({
        tenantId: event.tenantId,
        userCount: Math.max(delta.users, 0),
        teamCount: Math.max(delta.teams, 0),
        lastEventAt: occurredAt,
      })
      .onConflict('tenantId')
      .merge({
        userCount: raw('greatest(tenant_activity.user_count + ?, 0)', [delta.users]),
        teamCount: raw('greatest(tenant_activity.team_count + ?, 0)', [delta.teams]),
        // greatest() ignores nulls, and keeps the latest time when events arrive out of order.
        lastEventAt: raw('greatest(tenant_activity.last_event_at, excluded.last_event_at)'),
      })
      .execute();
  });
}

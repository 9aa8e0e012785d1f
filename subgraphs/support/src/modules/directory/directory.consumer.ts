import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { applyOnce } from '@deskgraph/database';
import type { DomainEvent, EventBus } from '@deskgraph/events';
import { isUuid } from '@deskgraph/validation';

/** The consumer group on the bus, and the idempotency key in `processed_events`. */
export const DIRECTORY_GROUP = 'support-directory';
const CONSUMER = 'support.directory';

/** What one `user.*` event says about the user; undefined: the event does not say. */
interface UserFacts {
  email: string | undefined;
  role: string | undefined;
  active: boolean | undefined;
}

const userEvents: Record<string, (payload: Record<string, unknown>) => UserFacts> = {
  'user.created': (payload) => ({ email: emailOf(payload), role: text(payload.role), active: flag(payload.isActive) ?? true }),
  'user.role_changed': (payload) => ({ email: emailOf(payload), role: text(payload.role), active: flag(payload.isActive) }),
  'user.deactivated': (payload) => ({ email: emailOf(payload), role: text(payload.role), active: false }),
  'user.updated': (payload) => ({ email: emailOf(payload), role: text(payload.role), active: flag(payload.isActive) }),
};

/** Whether each team event means the team is gone; `team.updated` also announces a team created before the directory existed. */
const teamEvents: Record<string, boolean> = { 'team.created': false, 'team.updated': false, 'team.deleted': true };

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Normalised as identity and support's customer identities store emails (trimmed, lower-case). */
function emailOf(payload: Record<string, unknown>): string | undefined {
  const email = text(payload.email)?.trim().toLowerCase();
  return email && email.length <= 320 ? email : undefined;
}

function flag(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/**
 * Applies one identity event to support's directory, at most once per event id. Each user
 * event carries the user's email, role and active flag after the change, so any one of them alone
 * creates or updates the row (a `user.role_changed` before its `user.created` creates it); an
 * event older than the row's `updated_at` changes nothing. A deleted team stays deleted.
 * Resolves true when the event was applied.
 */
export async function applyDirectoryEvent(orm: MikroORM, event: DomainEvent): Promise<boolean> {
  if (event.source !== 'identity') return false;
  const schema = orm.config.get('schema', 'support');
  const at = new Date(event.occurredAt);
  const user = userEvents[event.type];
  if (user) {
    const userId = event.payload.userId;
    const facts = user(event.payload);
    if (!isUuid(userId) || (facts.email === undefined && facts.role === undefined && facts.active === undefined)) return false;
    return applyOnce(orm, CONSUMER, event, (em) => upsertUser(em, schema, event.tenantId, userId, facts, at));
  }
  const deleted = teamEvents[event.type];
  if (deleted !== undefined) {
    const teamId = event.payload.teamId;
    if (!isUuid(teamId)) return false;
    return applyOnce(orm, CONSUMER, event, (em) => upsertTeam(em, schema, event.tenantId, teamId, deleted, at));
  }
  return false;
}

async function upsertUser(em: EntityManager, schema: string, tenantId: string, id: string, facts: UserFacts, at: Date): Promise<void> {
  // Facts the event does not state keep their stored value (or a default on insert).
  const email = facts.email === undefined ? 'users.email' : 'excluded.email';
  const role = facts.role === undefined ? 'users.role' : 'excluded.role';
  const active = facts.active === undefined ? 'users.active' : 'excluded.active';
  await em.getConnection().execute(
    `insert into "${schema}"."directory_users" as users (tenant_id, id, email, role, active, updated_at) values (?, ?, ?, ?, ?, ?)
     on conflict (tenant_id, id) do update set email = ${email}, role = ${role}, active = ${active}, updated_at = excluded.updated_at
     where users.updated_at <= excluded.updated_at`,
    [tenantId, id, facts.email ?? null, facts.role ?? null, facts.active ?? true, at],
    'run',
    em.getTransactionContext(),
  );
}

async function upsertTeam(em: EntityManager, schema: string, tenantId: string, id: string, deleted: boolean, at: Date): Promise<void> {
  await em.getConnection().execute(
    `insert into "${schema}"."directory_teams" as teams (tenant_id, id, deleted, updated_at) values (?, ?, ?, ?)
     on conflict (tenant_id, id) do update set deleted = teams.deleted or excluded.deleted,
       updated_at = greatest(teams.updated_at, excluded.updated_at)`,
    [tenantId, id, deleted, at],
    'run',
    em.getTransactionContext(),
  );
}

/** Registers the directory's consumer group; the returned stop waits for the events being applied. */
export function consumeDirectoryEvents({ bus, orm }: { bus: EventBus; orm: MikroORM }): () => Promise<void> {
  const inFlight = new Set<Promise<boolean>>();
  const unsubscribe = bus.consume(DIRECTORY_GROUP, async (event) => {
    const applying = applyDirectoryEvent(orm, event);
    inFlight.add(applying);
    try {
      await applying;
    } finally {
      inFlight.delete(applying);
    }
  });
  return async () => {
    unsubscribe();
    await Promise.allSettled([...inFlight]);
  };
}

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityEvent, useSupportSubgraph } from '../../conversations/__tests__/support-harness.js';

const { support, db, publish } = useSupportSubgraph();

/** The directory as a request of `tenantId` sees it. */
async function directoryOf(tenantId: string) {
  const { token } = await support().caller({ role: 'agent', tenantId });
  return (await support().subgraph.createContext(token, randomUUID())).directory;
}

async function assignableAgent(tenantId: string, userId: string): Promise<boolean> {
  return (await directoryOf(tenantId)).isAssignableAgent(userId);
}

async function assignableTeam(tenantId: string, teamId: string): Promise<boolean> {
  return (await directoryOf(tenantId)).isAssignableTeam(teamId);
}

const user = (type: string, tenantId: string, userId: string, role: string, isActive: boolean, at?: Date) =>
  identityEvent(type, tenantId, { userId, role, isActive }, at);

describe('support directory (identity events)', () => {
  it('makes a created agent or admin assignable, and neither a portal customer nor an unknown id', async () => {
    const tenantId = randomUUID();
    const [agent, admin, portal] = [randomUUID(), randomUUID(), randomUUID()];
    await publish(
      user('user.created', tenantId, agent, 'agent', true),
      user('user.created', tenantId, admin, 'admin', true),
      user('user.created', tenantId, portal, 'customer', true),
    );
    expect(await assignableAgent(tenantId, agent)).toBe(true);
    expect(await assignableAgent(tenantId, admin)).toBe(true);
    expect(await assignableAgent(tenantId, portal)).toBe(false);
    expect(await assignableAgent(tenantId, randomUUID())).toBe(false);
    expect(await assignableAgent(tenantId, 'not-a-uuid')).toBe(false);
  });

  it('follows role changes and deactivation, and a reactivation announced by user.updated', async () => {
    const tenantId = randomUUID();
    const agent = randomUUID();
    await publish(user('user.created', tenantId, agent, 'agent', true));
    await publish(user('user.role_changed', tenantId, agent, 'customer', true));
    expect(await assignableAgent(tenantId, agent)).toBe(false);
    await publish(user('user.role_changed', tenantId, agent, 'agent', true));
    expect(await assignableAgent(tenantId, agent)).toBe(true);
    await publish(identityEvent('user.deactivated', tenantId, { userId: agent, role: 'agent', isActive: false, by: randomUUID() }));
    expect(await assignableAgent(tenantId, agent)).toBe(false);
    await publish(user('user.updated', tenantId, agent, 'agent', true));
    expect(await assignableAgent(tenantId, agent)).toBe(true);
  });

  it('stores the user’s email lower-case, follows a changed one and keeps it when an event does not name it', async () => {
    const tenantId = randomUUID();
    const portal = randomUUID();
    const emailOf = async () =>
      (await db().withSchema('support').from('directory_users').where({ tenant_id: tenantId, id: portal }).first()).email;
    const t0 = new Date(Date.now() - 60_000);
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    await publish(
      identityEvent('user.created', tenantId, { userId: portal, email: ' Ada@Example.COM ', role: 'customer', isActive: true }, at(0)),
    );
    expect(await emailOf()).toBe('ada@example.com');
    await publish(
      identityEvent('user.updated', tenantId, { userId: portal, email: 'ada@new.example', role: 'customer', isActive: true }, at(2)),
    );
    expect(await emailOf()).toBe('ada@new.example');
    // An older event does not bring the old address back; one without an email keeps the stored one.
    await publish(
      identityEvent('user.updated', tenantId, { userId: portal, email: 'ada@example.com', role: 'customer', isActive: true }, at(1)),
    );
    await publish(user('user.role_changed', tenantId, portal, 'customer', true, at(3)));
    expect(await emailOf()).toBe('ada@new.example');
    // Only the email: still applied (and nothing else changes).
    await publish(identityEvent('user.updated', tenantId, { userId: portal, email: 'ada@third.example' }, at(4)));
    expect(await db().withSchema('support').from('directory_users').where({ tenant_id: tenantId, id: portal }).first()).toMatchObject({
      email: 'ada@third.example',
      role: 'customer',
      active: true,
    });
  });

  it('keeps a deleted team unassignable, also when team.deleted arrives before team.created or team.updated', async () => {
    const tenantId = randomUUID();
    const [kept, deleted, late, updated] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await publish(identityEvent('team.created', tenantId, { teamId: kept }), identityEvent('team.created', tenantId, { teamId: deleted }));
    await publish(identityEvent('team.deleted', tenantId, { teamId: deleted }));
    await publish(
      identityEvent('team.updated', tenantId, { teamId: deleted }),
      identityEvent('team.updated', tenantId, { teamId: updated }),
    );
    await publish(identityEvent('team.deleted', tenantId, { teamId: late }));
    await publish(identityEvent('team.created', tenantId, { teamId: late }));
    expect(await assignableTeam(tenantId, kept)).toBe(true);
    expect(await assignableTeam(tenantId, deleted)).toBe(false);
    expect(await assignableTeam(tenantId, late)).toBe(false);
    expect(await assignableTeam(tenantId, updated)).toBe(true);
    expect(await assignableTeam(tenantId, randomUUID())).toBe(false);
  });

  it('applies an event delivered twice once, leaving one row', async () => {
    const tenantId = randomUUID();
    const agent = randomUUID();
    const created = user('user.created', tenantId, agent, 'agent', true);
    await publish(created, created);
    await publish(created);
    const rows = await db().withSchema('support').from('directory_users').where({ tenant_id: tenantId });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: agent, role: 'agent', active: true });
    const processed = await db()
      .withSchema('support')
      .from('processed_events')
      .where({ consumer: 'support.directory', event_id: created.id });
    expect(processed).toHaveLength(1);
  });

  it('tolerates events out of order: an event for an unknown user creates it, an older one changes nothing', async () => {
    const tenantId = randomUUID();
    const [promoted, leaving] = [randomUUID(), randomUUID()];
    const earlier = new Date(Date.now() - 60_000);
    await publish(user('user.role_changed', tenantId, promoted, 'admin', true));
    expect(await assignableAgent(tenantId, promoted)).toBe(true);
    await publish(user('user.created', tenantId, promoted, 'customer', true, earlier));
    expect(await assignableAgent(tenantId, promoted)).toBe(true);

    await publish(identityEvent('user.deactivated', tenantId, { userId: leaving, role: 'agent', isActive: false, by: null }));
    await publish(user('user.created', tenantId, leaving, 'agent', true, earlier));
    expect(await assignableAgent(tenantId, leaving)).toBe(false);
  });

  it('applies events without the role or active flag (older identity payloads) to what they state', async () => {
    const tenantId = randomUUID();
    const agent = randomUUID();
    await publish(identityEvent('user.created', tenantId, { userId: agent, role: 'agent' }));
    expect(await assignableAgent(tenantId, agent)).toBe(true);
    await publish(identityEvent('user.updated', tenantId, { userId: agent }));
    expect(await assignableAgent(tenantId, agent)).toBe(true);
    await publish(identityEvent('user.deactivated', tenantId, { userId: agent, by: null }));
    const [row] = await db().withSchema('support').from('directory_users').where({ tenant_id: tenantId, id: agent });
    expect(row).toMatchObject({ role: 'agent', active: false });
  });

  it('never shows one tenant’s users and teams to another', async () => {
    const [tenantA, tenantB] = [randomUUID(), randomUUID()];
    const [agent, teamId] = [randomUUID(), randomUUID()];
    await publish(user('user.created', tenantA, agent, 'agent', true), identityEvent('team.created', tenantA, { teamId }));
    expect(await assignableAgent(tenantA, agent)).toBe(true);
    expect(await assignableTeam(tenantA, teamId)).toBe(true);
    const directory = await directoryOf(tenantB);
    expect(await directory.user(agent)).toBeNull();
    expect(await directory.team(teamId)).toBeNull();
    expect(await assignableAgent(tenantB, agent)).toBe(false);
    expect(await assignableTeam(tenantB, teamId)).toBe(false);
  });

  it('ignores events of other subgraphs and events it has no use for', async () => {
    const tenantId = randomUUID();
    const agent = randomUUID();
    await publish(
      { ...user('user.created', tenantId, agent, 'agent', true), source: 'support' },
      identityEvent('tenant.created', tenantId, { tenantId, name: 'Acme' }),
      identityEvent('user.created', tenantId, { userId: 'not-a-uuid', role: 'agent', isActive: true }),
    );
    expect(await db().withSchema('support').from('directory_users').where({ tenant_id: tenantId })).toEqual([]);
  });
});

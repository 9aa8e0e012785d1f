import { nextWithin } from '@deskgraph/testing';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useIdentitySubgraph } from '../../users/__tests__/identity-harness.js';

const { identity, data, failure, registerTenant, addUser, eventsOf } = useIdentitySubgraph();

const CHANGES = `subscription ($userId: ID) {
  agentStatusChanged(userId: $userId) { status previousStatus changedAt user { id displayName status statusChangedAt } }
}`;
const SET_STATUS = `mutation ($status: AgentStatus!) { setAgentStatus(status: $status) { id status statusChangedAt } }`;

describe('agent status', () => {
  it('starts OFFLINE with no change time, also through _entities', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const { user } = await data(`query ($id: ID!) { user(id: $id) { status statusChangedAt } }`, { id: agent.userId }, admin.token);
    expect(user).toEqual({ status: 'OFFLINE', statusChangedAt: null });
    const { _entities } = await data(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id status } } }`,
      { representations: [{ __typename: 'User', id: agent.userId }] },
      admin.token,
    );
    expect(_entities).toEqual([{ id: agent.userId, status: 'OFFLINE' }]);
  });

  it('stores the caller’s new status, records agent.status_changed and streams it to the tenant’s admins and agents', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const colleague = await addUser(admin, 'agent');
    const watching = await identity().subscribe(CHANGES, {}, admin.token);
    const colleagueWatching = await identity().subscribe(CHANGES, {}, colleague.token);

    const { setAgentStatus } = await data(SET_STATUS, { status: 'AVAILABLE' }, agent.token);
    expect(setAgentStatus).toMatchObject({ id: agent.userId, status: 'AVAILABLE' });
    expect(setAgentStatus.statusChangedAt).not.toBeNull();

    const [event] = await eventsOf(admin.tenantId, 'agent.status_changed');
    expect(event).toMatchObject({
      source: 'identity',
      aggregateId: agent.userId,
      payload: { userId: agent.userId, status: 'available', previousStatus: 'offline' },
    });
    const expected = {
      agentStatusChanged: {
        status: 'AVAILABLE',
        previousStatus: 'OFFLINE',
        changedAt: setAgentStatus.statusChangedAt,
        user: { id: agent.userId, displayName: 'Test agent', status: 'AVAILABLE', statusChangedAt: setAgentStatus.statusChangedAt },
      },
    };
    expect(await nextWithin(watching)).toEqual({ data: expected });
    expect(await nextWithin(colleagueWatching)).toEqual({ data: expected });
    await watching.return?.();
    await colleagueWatching.return?.();
  });

  it('reads the user afresh for every event', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const stream = await identity().subscribe(CHANGES, { userId: agent.userId }, admin.token);
    await data(SET_STATUS, { status: 'AVAILABLE' }, agent.token);
    await identity().settle();
    expect((await nextWithin(stream))?.data).toMatchObject({ agentStatusChanged: { user: { displayName: 'Test agent' } } });

    await data(`mutation ($id: ID!) { updateUser(id: $id, input: { firstName: "Renamed" }) { id } }`, { id: agent.userId }, agent.token);
    await data(SET_STATUS, { status: 'BUSY' }, agent.token);
    await identity().settle();
    expect((await nextWithin(stream))?.data).toMatchObject({
      agentStatusChanged: { status: 'BUSY', previousStatus: 'AVAILABLE', user: { displayName: 'Renamed agent', status: 'BUSY' } },
    });
    await stream.return?.();
  });

  it('filters by agent when a user id is given', async () => {
    const admin = await registerTenant();
    const watched = await addUser(admin, 'agent');
    const other = await addUser(admin, 'agent');
    const stream = await identity().subscribe(CHANGES, { userId: watched.userId }, admin.token);
    await data(SET_STATUS, { status: 'AWAY' }, other.token);
    await data(SET_STATUS, { status: 'BUSY' }, watched.token);
    await identity().settle();
    expect((await nextWithin(stream))?.data).toMatchObject({ agentStatusChanged: { status: 'BUSY', user: { id: watched.userId } } });
    expect(await nextWithin(stream, 200)).toBeNull();
    await stream.return?.();
  });

  it('never streams another tenant’s agents, even to a subscriber that names one', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const stranger = await registerTenant();
    const naming = await identity().subscribe(CHANGES, { userId: agent.userId }, stranger.token);
    const everything = await identity().subscribe(CHANGES, {}, stranger.token);
    await data(SET_STATUS, { status: 'AVAILABLE' }, agent.token);
    await identity().settle();
    expect(await nextWithin(naming, 500)).toBeNull();
    expect(await nextWithin(everything, 200)).toBeNull();
    await naming.return?.();
    await everything.return?.();
  });

  it('changes and announces nothing when the status is already set', async () => {
    const admin = await registerTenant();
    const first = await data(SET_STATUS, { status: 'BUSY' }, admin.token);
    const again = await data(SET_STATUS, { status: 'BUSY' }, admin.token);
    expect(again.setAgentStatus).toEqual(first.setAgentStatus);
    expect(await eventsOf(admin.tenantId, 'agent.status_changed')).toHaveLength(1);
  });

  it('refuses portal customers, callers without a user and anonymous callers', async () => {
    const admin = await registerTenant();
    const customer = await addUser(admin, 'customer');
    expect(await identity().refusal(CHANGES, {}, customer.token)).toBe('FORBIDDEN');
    expect(await identity().refusal(CHANGES, {}, null)).toBe('UNAUTHORIZED');
    expect((await failure(SET_STATUS, { status: 'AVAILABLE' }, customer.token)).code).toBe('FORBIDDEN');
    const apiKey = await identity().caller({ kind: 'apiKey', tenantId: admin.tenantId, userId: null, apiKeyId: randomUUID() });
    expect((await failure(SET_STATUS, { status: 'AVAILABLE' }, apiKey.token)).code).toBe('FORBIDDEN');
    expect((await failure(SET_STATUS, { status: 'AVAILABLE' }, null)).code).toBe('UNAUTHORIZED');
  });
});

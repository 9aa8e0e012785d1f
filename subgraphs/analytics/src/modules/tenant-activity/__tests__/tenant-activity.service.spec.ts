import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '@deskgraph/events';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { createAnalyticsSubgraph } from '../../../server.js';

let analytics: TestSubgraph<Awaited<ReturnType<typeof createAnalyticsSubgraph>>>;

beforeAll(async () => {
  analytics = await startTestSubgraph(createAnalyticsSubgraph);
});
afterAll(async () => analytics?.stop());

const ACTIVITY = /* GraphQL */ `
  query {
    tenantActivity {
      userCount
      teamCount
      lastEventAt
    }
  }
`;
const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Tenant {
        id
        activity {
          userCount
          teamCount
          lastEventAt
        }
      }
    }
  }
`;

interface Activity {
  userCount: number;
  teamCount: number;
  lastEventAt: string | null;
}

/** An identity event as its outbox relay would publish it. */
function identityEvent(type: string, tenantId: string, occurredAt = new Date(), id = randomUUID()): DomainEvent {
  return { id, type, tenantId, aggregateId: randomUUID(), source: 'identity', occurredAt: occurredAt.toISOString(), payload: {} };
}

async function publish(...events: DomainEvent[]): Promise<void> {
  for (const event of events) await analytics.bus.publish(event);
  await analytics.bus.drain();
}

async function activity(token: string): Promise<Activity> {
  const result = await analytics.run(ACTIVITY, {}, token);
  expect(result.errors).toBeUndefined();
  return (result.data as { tenantActivity: Activity }).tenantActivity;
}

describe('tenant activity', () => {
  it('answers zeros for a tenant no event has been counted for', async () => {
    const { token } = await analytics.caller();
    expect(await activity(token)).toEqual({ userCount: 0, teamCount: 0, lastEventAt: null });
  });

  it("counts a tenant's users and teams from identity events", async () => {
    const { caller, token } = await analytics.caller();
    const latest = new Date('2030-01-01T12:00:00.000Z');
    await publish(
      identityEvent('tenant.created', caller.tenantId, new Date('2030-01-01T10:00:00.000Z')),
      identityEvent('user.created', caller.tenantId),
      identityEvent('user.created', caller.tenantId),
      identityEvent('team.created', caller.tenantId, latest),
      identityEvent('team.created', caller.tenantId),
      identityEvent('team.deleted', caller.tenantId),
    );
    const counted = await activity(token);
    expect(counted).toMatchObject({ userCount: 2, teamCount: 1 });
    expect(new Date(counted.lastEventAt ?? 0).getTime()).toBe(latest.getTime());
  });

  it('counts an event delivered twice only once', async () => {
    const { caller, token } = await analytics.caller();
    const created = identityEvent('user.created', caller.tenantId);
    await publish(identityEvent('tenant.created', caller.tenantId), created, created);
    await publish(created);
    expect(await activity(token)).toMatchObject({ userCount: 1, teamCount: 0 });
  });

  it('counts events that arrive before the tenant.created event, and never goes below zero teams', async () => {
    const { caller, token } = await analytics.caller();
    await publish(identityEvent('team.deleted', caller.tenantId), identityEvent('user.created', caller.tenantId));
    await publish(identityEvent('tenant.created', caller.tenantId));
    expect(await activity(token)).toMatchObject({ userCount: 1, teamCount: 0 });
  });

  it('ignores events it does not count and events of other tenants', async () => {
    const { caller, token } = await analytics.caller();
    const other = await analytics.caller();
    await publish(identityEvent('user.updated', caller.tenantId), identityEvent('user.created', other.caller.tenantId));
    expect(await activity(token)).toEqual({ userCount: 0, teamCount: 0, lastEventAt: null });
    expect(await activity(other.token)).toMatchObject({ userCount: 1 });
  });

  it('adds activity to its own Tenant through _entities, and answers null for another tenant', async () => {
    const { caller, token } = await analytics.caller();
    const stranger = await analytics.caller();
    await publish(identityEvent('tenant.created', caller.tenantId), identityEvent('user.created', caller.tenantId));

    const representations = [{ __typename: 'Tenant', id: caller.tenantId }];
    const own = await analytics.run(ENTITIES, { representations }, token);
    expect(own.errors).toBeUndefined();
    expect((own.data as { _entities: unknown[] })._entities).toEqual([
      { id: caller.tenantId, activity: expect.objectContaining({ userCount: 1, teamCount: 0 }) },
    ]);

    const other = await analytics.run(ENTITIES, { representations }, stranger.token);
    expect(other.errors).toBeUndefined();
    expect((other.data as { _entities: unknown[] })._entities).toEqual([null]);
  });

  it('refuses customer-role callers and anonymous requests', async () => {
    const { token } = await analytics.caller({ role: 'customer' });
    const customer = await analytics.run(ACTIVITY, {}, token);
    expect(customer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await analytics.run(ACTIVITY, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });
});

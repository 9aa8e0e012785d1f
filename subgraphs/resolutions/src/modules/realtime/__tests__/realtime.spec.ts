import { randomUUID } from 'node:crypto';
import type { FormattedExecutionResult } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubgraph, type TestSubgraph, nextWithin } from '@deskgraph/testing';
import { createResolutionsSubgraph } from '../../../server.js';
import { ResolutionEntity } from '../../resolutions/resolution.entity.js';

let resolutions: TestSubgraph<Awaited<ReturnType<typeof createResolutionsSubgraph>>>;

beforeAll(async () => {
  resolutions = await startTestSubgraph(createResolutionsSubgraph);
});
afterAll(async () => resolutions?.stop());

const UPDATES = `subscription ($id: ID) { resolutionUpdated(resolutionId: $id) { updateType changedAt resolution { id status priority } } }`;

/** Two callers of one new tenant. */
async function tenant(): Promise<{ tenantId: string; admin: string; agent: string; customer: string }> {
  const admin = await resolutions.caller({ role: 'admin' });
  const { tenantId } = admin.caller;
  const agent = await resolutions.caller({ role: 'agent', tenantId });
  const customer = await resolutions.caller({ role: 'customer', tenantId });
  return { tenantId, admin: admin.token, agent: agent.token, customer: customer.token };
}

async function createResolution(token: string): Promise<string> {
  const result = await resolutions.run(
    `mutation ($input: CreateResolutionInput!) { createResolution(input: $input) { id } }`,
    { input: { issueType: 'technical', owningTeam: 'engineering', priority: 'P1' } },
    token,
  );
  expect(result.errors).toBeUndefined();
  return (result.data as { createResolution: { id: string } }).createResolution.id;
}

/** Publishes `resolution.updated` on the bus, as the resolution updates will (their producer comes later). */
async function publishUpdate(tenantId: string, payload: Record<string, unknown>): Promise<void> {
  await resolutions.bus.publish({
    id: randomUUID(),
    type: 'resolution.updated',
    tenantId,
    aggregateId: String(payload.resolutionId),
    source: 'resolutions',
    occurredAt: new Date().toISOString(),
    payload,
  });
  await resolutions.bus.drain();
}

/** Changes a resolution's status underneath the API (its update mutation comes later). */
async function setStatus(token: string, id: string, status: 'investigating' | 'resolved'): Promise<void> {
  const ctx = await resolutions.subgraph.createContext(token, 'test');
  const resolution = await ctx.em().findOneOrFail(ResolutionEntity, { id });
  resolution.status = status;
  await ctx.em().flush();
}

describe('resolution updates', () => {
  it('announces a new resolution once it is committed', async () => {
    const team = await tenant();
    const stream = await resolutions.subscribe(UPDATES, {}, team.agent);
    const id = await createResolution(team.admin);
    await resolutions.settle();
    const event = await nextWithin(stream);
    expect(event?.data).toEqual({
      resolutionUpdated: { updateType: 'created', changedAt: expect.any(String), resolution: { id, status: 'OPEN', priority: 'P1' } },
    });
    await stream.return?.();
  });

  it('delivers changes with the resolution read afresh for every event', async () => {
    const team = await tenant();
    const id = await createResolution(team.admin);
    await resolutions.settle();
    const stream = await resolutions.subscribe(UPDATES, { id }, team.agent);
    await publishUpdate(team.tenantId, { resolutionId: id, updateType: 'note' });
    expect((await nextWithin(stream))?.data).toMatchObject({
      resolutionUpdated: { updateType: 'note', resolution: { id, status: 'OPEN' } },
    });
    await setStatus(team.admin, id, 'investigating');
    await publishUpdate(team.tenantId, { resolutionId: id, updateType: 'status_change' });
    expect((await nextWithin(stream))?.data).toMatchObject({
      resolutionUpdated: { updateType: 'status_change', resolution: { id, status: 'INVESTIGATING' } },
    });
    await publishUpdate(team.tenantId, { resolutionId: id });
    expect((await nextWithin(stream))?.data).toMatchObject({ resolutionUpdated: { updateType: 'updated' } });
    await stream.return?.();
  });

  it('streams only the named resolution when an id is given', async () => {
    const team = await tenant();
    const watched = await createResolution(team.admin);
    const other = await createResolution(team.admin);
    await resolutions.settle();
    const stream = await resolutions.subscribe(UPDATES, { id: watched }, team.agent);
    await publishUpdate(team.tenantId, { resolutionId: other, updateType: 'note' });
    await publishUpdate(team.tenantId, { resolutionId: watched, updateType: 'note' });
    expect((await nextWithin(stream))?.data).toMatchObject({ resolutionUpdated: { resolution: { id: watched } } });
    expect(await nextWithin(stream, 200)).toBeNull();
    await stream.return?.();
  });

  it('never streams another tenant’s resolutions, even to a subscriber that names one', async () => {
    const team = await tenant();
    const stranger = await tenant();
    const everything = await resolutions.subscribe(UPDATES, {}, stranger.admin);
    const id = await createResolution(team.admin);
    await resolutions.settle();
    const guessing = await resolutions.subscribe(UPDATES, { id }, stranger.agent);
    await publishUpdate(team.tenantId, { resolutionId: id, updateType: 'note' });
    expect(await nextWithin(everything, 500)).toBeNull();
    expect(await nextWithin(guessing, 200)).toBeNull();
    await everything.return?.();
    await guessing.return?.();
  });

  it('refuses portal customers and unauthenticated callers', async () => {
    const team = await tenant();
    const portal = await resolutions.subgraph.subscribe({ query: UPDATES, variables: {}, callerToken: team.customer, requestId: 't' });
    const portalResult = Symbol.asyncIterator in portal ? await nextWithin(portal as AsyncIterator<FormattedExecutionResult>) : portal;
    expect(portalResult?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await resolutions.subgraph.subscribe({ query: UPDATES, variables: {}, callerToken: null, requestId: 't' });
    expect(Symbol.asyncIterator in anonymous ? null : anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });
});

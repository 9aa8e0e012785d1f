import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubgraph, type TestSubgraph, nextWithin } from '@deskgraph/testing';
import { createCampaignsSubgraph } from '../../../server.js';
import { CampaignEntity } from '../../campaigns/campaign.entity.js';

let campaigns: TestSubgraph<Awaited<ReturnType<typeof createCampaignsSubgraph>>>;

beforeAll(async () => {
  campaigns = await startTestSubgraph(createCampaignsSubgraph);
});
afterAll(async () => campaigns?.stop());

interface TestTenant {
  tenantId: string;
  admin: string;
  agent: string;
  agentId: string;
  otherAgent: string;
  otherAgentId: string;
  customer: string;
}

async function tenant(): Promise<TestTenant> {
  const admin = await campaigns.caller({ role: 'admin' });
  const { tenantId } = admin.caller;
  const agent = await campaigns.caller({ role: 'agent', tenantId });
  const otherAgent = await campaigns.caller({ role: 'agent', tenantId });
  const customer = await campaigns.caller({ role: 'customer', tenantId });
  return {
    tenantId,
    admin: admin.token,
    agent: agent.token,
    agentId: agent.caller.userId!,
    otherAgent: otherAgent.token,
    otherAgentId: otherAgent.caller.userId!,
    customer: customer.token,
  };
}

async function createCampaign(team: TestTenant, name = 'Q1 2024 Outreach'): Promise<string> {
  const result = await campaigns.run(
    `mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { id } }`,
    { input: { name, callerId: '+14155551234', timezone: 'America/Los_Angeles' } },
    team.admin,
  );
  expect(result.errors).toBeUndefined();
  return (result.data as { createCampaign: { id: string } }).createCampaign.id;
}

/** Publishes a domain event of `tenantId` on the bus, as the call producers will (calls and Twilio webhooks come later). */
async function publish(type: string, tenantId: string, payload: Record<string, unknown>): Promise<void> {
  await campaigns.bus.publish({
    id: randomUUID(),
    type,
    tenantId,
    aggregateId: String(payload.callId ?? payload.agentId),
    source: 'campaigns',
    occurredAt: new Date().toISOString(),
    payload,
  });
  await campaigns.bus.drain();
}

function incoming(campaignId: string, agentId: string | null, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    callId: randomUUID(),
    campaignId,
    leadId: randomUUID(),
    agentId,
    fromNumber: '+14155551234',
    toNumber: '+14155552671',
    ...fields,
  };
}

const data = <T = any>(query: string, variables: Record<string, unknown>, token: string): Promise<T> =>
  campaigns.data<T>(query, variables, token);

const INCOMING = `subscription ($campaignId: ID, $agentId: ID) {
  incomingCall(campaignId: $campaignId, agentId: $agentId) { callId campaignId campaign { id name } leadId agentId fromNumber toNumber receivedAt }
}`;
const ENDED = `subscription ($campaignId: ID) { callEnded(campaignId: $campaignId) { callId campaignId campaign { id name } disposition duration endedAt } }`;
const PRESENCE = `subscription ($agentId: ID) { callAgentStatusUpdated(agentId: $agentId) { agentId status changedAt } }`;
const JOIN = `mutation { joinCallCenter { agentId status changedAt } }`;
const SET_STATUS = `mutation ($status: CallAgentStatus!) { setCallAgentStatus(status: $status) { agentId status changedAt } }`;

describe('incoming calls', () => {
  it('offers an agent the calls routed to them and the calls nobody has yet, with the campaign', async () => {
    const team = await tenant();
    const campaignId = await createCampaign(team);
    const stream = await campaigns.subscribe(INCOMING, {}, team.agent);
    const forOther = incoming(campaignId, team.otherAgentId);
    const forMe = incoming(campaignId, team.agentId);
    const forAnyone = incoming(campaignId, null);
    for (const call of [forOther, forMe, forAnyone]) await publish('call.incoming', team.tenantId, call);

    expect(await nextWithin(stream)).toEqual({
      data: {
        incomingCall: {
          ...forMe,
          campaign: { id: campaignId, name: 'Q1 2024 Outreach' },
          receivedAt: expect.any(String),
        },
      },
    });
    expect((await nextWithin(stream))?.data).toMatchObject({ incomingCall: { callId: forAnyone.callId, agentId: null } });
    expect(await nextWithin(stream, 200)).toBeNull();
    await stream.return?.();
  });

  it('filters by campaign and by the agent named', async () => {
    const team = await tenant();
    const watched = await createCampaign(team, 'Watched');
    const other = await createCampaign(team, 'Other');
    const byCampaign = await campaigns.subscribe(INCOMING, { campaignId: watched }, team.agent);
    const forColleague = await campaigns.subscribe(INCOMING, { agentId: team.otherAgentId }, team.admin);
    const calls = [incoming(other, team.agentId), incoming(watched, team.otherAgentId), incoming(watched, team.agentId)];
    for (const call of calls) await publish('call.incoming', team.tenantId, call);

    expect((await nextWithin(byCampaign))?.data).toMatchObject({
      incomingCall: { callId: calls[2]!.callId, campaign: { name: 'Watched' } },
    });
    expect(await nextWithin(byCampaign, 200)).toBeNull();
    expect((await nextWithin(forColleague))?.data).toMatchObject({ incomingCall: { callId: calls[1]!.callId } });
    expect(await nextWithin(forColleague, 200)).toBeNull();
    await byCampaign.return?.();
    await forColleague.return?.();
  });

  it('reads the campaign afresh for every call', async () => {
    const team = await tenant();
    const campaignId = await createCampaign(team, 'Before');
    const stream = await campaigns.subscribe(INCOMING, {}, team.agent);
    await publish('call.incoming', team.tenantId, incoming(campaignId, null));
    expect((await nextWithin(stream))?.data).toMatchObject({ incomingCall: { campaign: { name: 'Before' } } });

    const ctx = await campaigns.subgraph.createContext(team.admin, 'test');
    const campaign = await ctx.em().findOneOrFail(CampaignEntity, { id: campaignId });
    campaign.name = 'After';
    await ctx.em().flush();
    await publish('call.incoming', team.tenantId, incoming(campaignId, null));
    expect((await nextWithin(stream))?.data).toMatchObject({ incomingCall: { campaign: { name: 'After' } } });
    await stream.return?.();
  });

  it('skips malformed call events without ending the stream', async () => {
    const team = await tenant();
    const campaignId = await createCampaign(team);
    const stream = await campaigns.subscribe(INCOMING, {}, team.agent);
    await publish('call.incoming', team.tenantId, incoming(campaignId, null, { leadId: undefined }));
    const good = incoming(campaignId, null);
    await publish('call.incoming', team.tenantId, good);
    expect((await nextWithin(stream))?.data).toMatchObject({ incomingCall: { callId: good.callId } });
    await stream.return?.();
  });
});

describe('ended calls', () => {
  it('announces ended calls with their disposition and duration, of one campaign or all', async () => {
    const team = await tenant();
    const watched = await createCampaign(team, 'Watched');
    const other = await createCampaign(team, 'Other');
    const all = await campaigns.subscribe(ENDED, {}, team.admin);
    const byCampaign = await campaigns.subscribe(ENDED, { campaignId: watched }, team.agent);
    const first = { callId: randomUUID(), campaignId: other, disposition: 'voicemail', duration: 31 };
    const second = { callId: randomUUID(), campaignId: watched, disposition: 'answered', duration: 330 };
    await publish('call.ended', team.tenantId, { ...first, disposition: 'exploded' });
    await publish('call.ended', team.tenantId, first);
    await publish('call.ended', team.tenantId, second);

    expect((await nextWithin(all))?.data).toMatchObject({ callEnded: { callId: first.callId, disposition: 'VOICEMAIL', duration: 31 } });
    expect(await nextWithin(all)).toEqual({
      data: {
        callEnded: {
          callId: second.callId,
          campaignId: watched,
          campaign: { id: watched, name: 'Watched' },
          disposition: 'ANSWERED',
          duration: 330,
          endedAt: expect.any(String),
        },
      },
    });
    expect((await nextWithin(byCampaign))?.data).toMatchObject({ callEnded: { callId: second.callId } });
    expect(await nextWithin(byCampaign, 200)).toBeNull();
    await all.return?.();
    await byCampaign.return?.();
  });
});

describe('call agent presence', () => {
  it('announces a joining agent as available and each status they set, without storing anything', async () => {
    const team = await tenant();
    const stream = await campaigns.subscribe(PRESENCE, {}, team.admin);
    const { joinCallCenter } = await data(JOIN, {}, team.agent);
    expect(joinCallCenter).toMatchObject({ agentId: team.agentId, status: 'AVAILABLE' });
    expect((await nextWithin(stream))?.data).toEqual({ callAgentStatusUpdated: joinCallCenter });

    const { setCallAgentStatus } = await data(SET_STATUS, { status: 'BREAK' }, team.agent);
    expect(setCallAgentStatus).toMatchObject({ agentId: team.agentId, status: 'BREAK' });
    expect((await nextWithin(stream))?.data).toEqual({ callAgentStatusUpdated: setCallAgentStatus });

    const published = campaigns.events.filter((event) => event.tenantId === team.tenantId).map(({ type, payload }) => ({ type, payload }));
    expect(published).toEqual([
      { type: 'call_agent.joined', payload: { agentId: team.agentId, status: 'available' } },
      { type: 'call_agent.status_updated', payload: { agentId: team.agentId, status: 'break' } },
    ]);
    await stream.return?.();
  });

  it('streams one agent when an agent id is given', async () => {
    const team = await tenant();
    const stream = await campaigns.subscribe(PRESENCE, { agentId: team.agentId }, team.otherAgent);
    await data(SET_STATUS, { status: 'BUSY' }, team.otherAgent);
    await publish('call_agent.status_updated', team.tenantId, { agentId: team.agentId, status: 'offline' });
    expect((await nextWithin(stream))?.data).toMatchObject({ callAgentStatusUpdated: { agentId: team.agentId, status: 'OFFLINE' } });
    expect(await nextWithin(stream, 200)).toBeNull();
    await stream.return?.();
  });
});

describe('campaign live events across tenants and roles', () => {
  it('never delivers another tenant’s calls or agents, even to a subscriber that names their ids', async () => {
    const team = await tenant();
    const stranger = await tenant();
    const campaignId = await createCampaign(team);
    const streams = [
      await campaigns.subscribe(INCOMING, {}, stranger.agent),
      await campaigns.subscribe(INCOMING, { campaignId, agentId: team.agentId }, stranger.admin),
      await campaigns.subscribe(ENDED, { campaignId }, stranger.agent),
      await campaigns.subscribe(PRESENCE, { agentId: team.agentId }, stranger.admin),
    ];
    await publish('call.incoming', team.tenantId, incoming(campaignId, team.agentId));
    await publish('call.incoming', team.tenantId, incoming(campaignId, null));
    await publish('call.ended', team.tenantId, { callId: randomUUID(), campaignId, disposition: 'busy', duration: 0 });
    await data(JOIN, {}, team.agent);
    await campaigns.bus.drain();
    for (const stream of streams) expect(await nextWithin(stream, 300)).toBeNull();
    for (const stream of streams) await stream.return?.();
  });

  it('never resolves another tenant’s campaign, even when an event names it', async () => {
    const team = await tenant();
    const stranger = await tenant();
    const theirs = await createCampaign(stranger, 'Theirs');
    const stream = await campaigns.subscribe(INCOMING, {}, team.agent);
    const call = incoming(theirs, null);
    await publish('call.incoming', team.tenantId, call);
    expect((await nextWithin(stream))?.data).toMatchObject({ incomingCall: { callId: call.callId, campaignId: theirs, campaign: null } });
    await stream.return?.();
  });

  it('refuses portal customers, callers without a user and anonymous callers', async () => {
    const team = await tenant();
    for (const query of [INCOMING, ENDED, PRESENCE]) {
      expect(await campaigns.refusal(query, {}, team.customer)).toBe('FORBIDDEN');
      expect(await campaigns.refusal(query, {}, null)).toBe('UNAUTHORIZED');
    }
    const apiKey = await campaigns.caller({ kind: 'apiKey', tenantId: team.tenantId, userId: null, apiKeyId: randomUUID() });
    for (const token of [team.customer, apiKey.token]) {
      for (const [query, variables] of [
        [JOIN, {}],
        [SET_STATUS, { status: 'AVAILABLE' }],
      ] as const) {
        const result = await campaigns.run(query, variables, token);
        expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect(campaigns.events.filter((event) => event.tenantId === team.tenantId)).toEqual([]);
  });
});

import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { createCampaignsSubgraph } from '../../../server.js';

let campaigns: TestSubgraph<Awaited<ReturnType<typeof createCampaignsSubgraph>>>;

beforeAll(async () => {
  campaigns = await startTestSubgraph(createCampaignsSubgraph);
});
afterAll(async () => campaigns?.stop());

const FIELDS = 'id name callerId status timezone scheduleStart scheduleEnd amdEnabled recordCalls createdAt updatedAt';
const CREATE = /* GraphQL */ `
  mutation ($input: CreateCampaignInput!) { createCampaign(input: $input) { ${FIELDS} } }
`;
const GET = /* GraphQL */ `
  query ($id: ID!) { campaign(id: $id) { ${FIELDS} } }
`;
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    campaigns(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
      edges {
        cursor
        node {
          id
        }
      }
      nodes {
        id
        name
      }
    }
  }
`;
const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Campaign {
        id
        name
        status
      }
    }
  }
`;

interface CampaignView {
  id: string;
  name: string;
  callerId: string;
  status: string;
  timezone: string;
  scheduleStart: string | null;
  scheduleEnd: string | null;
  amdEnabled: boolean;
  recordCalls: boolean;
}

async function createCampaign(token: string, input: Record<string, unknown>): Promise<CampaignView> {
  const result = await campaigns.run(CREATE, { input }, token);
  expect(result.errors).toBeUndefined();
  return (result.data as { createCampaign: CampaignView }).createCampaign;
}

const outreach = { name: 'Q1 2024 Outreach', callerId: '+14155551234', timezone: 'America/Los_Angeles' };

describe('campaigns', () => {
  it('creates a draft campaign with its schedule and call settings, and reads it back', async () => {
    const { token } = await campaigns.caller();
    const created = await createCampaign(token, {
      ...outreach,
      callerId: '+1 415-555-1234',
      scheduleStart: '2024-01-01T09:00:00Z',
      scheduleEnd: '2024-03-31T17:00:00Z',
      recordCalls: true,
    });
    expect(created).toMatchObject({
      name: 'Q1 2024 Outreach',
      callerId: '+14155551234',
      status: 'DRAFT',
      timezone: 'America/Los_Angeles',
      scheduleStart: '2024-01-01T09:00:00.000Z',
      scheduleEnd: '2024-03-31T17:00:00.000Z',
      amdEnabled: true,
      recordCalls: true,
    });

    const read = await campaigns.run(GET, { id: created.id }, token);
    expect(read.errors).toBeUndefined();
    expect((read.data as { campaign: CampaignView }).campaign).toEqual(expect.objectContaining(created));
  });

  it('defaults to answering-machine detection on, recording off and no schedule', async () => {
    const { token } = await campaigns.caller();
    const created = await createCampaign(token, outreach);
    expect(created).toMatchObject({ amdEnabled: true, recordCalls: false, scheduleStart: null, scheduleEnd: null });
  });

  it('reports every invalid field of a new campaign at once', async () => {
    const { token } = await campaigns.caller();
    const result = await campaigns.run(CREATE, { input: { name: '', callerId: 'call me', timezone: 'Mars/Olympus_Mons' } }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
    const fields = (result.errors?.[0]?.extensions?.details as { field: string }[]).map((detail) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'callerId', 'timezone']));
  });

  it('refuses a schedule that ends before it starts', async () => {
    const { token } = await campaigns.caller();
    const result = await campaigns.run(
      CREATE,
      { input: { ...outreach, scheduleStart: '2024-03-31T17:00:00Z', scheduleEnd: '2024-01-01T09:00:00Z' } },
      token,
    );
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'scheduleEnd', message: 'must be after scheduleStart' }],
    });
  });

  it("answers null for another tenant's campaign and for an id that is not a UUID", async () => {
    const owner = await campaigns.caller();
    const stranger = await campaigns.caller();
    const created = await createCampaign(owner.token, outreach);

    const crossTenant = await campaigns.run(GET, { id: created.id }, stranger.token);
    expect(crossTenant.errors).toBeUndefined();
    expect((crossTenant.data as { campaign: unknown }).campaign).toBeNull();

    const notUuid = await campaigns.run(GET, { id: 'campaign-1' }, owner.token);
    expect(notUuid.errors).toBeUndefined();
    expect((notUuid.data as { campaign: unknown }).campaign).toBeNull();
  });

  it('lets agents read campaigns but only admins create them', async () => {
    const admin = await campaigns.caller();
    const agent = await campaigns.caller({ role: 'agent', tenantId: admin.caller.tenantId });
    const created = await createCampaign(admin.token, outreach);

    const refused = await campaigns.run(CREATE, { input: outreach }, agent.token);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = await campaigns.run(GET, { id: created.id }, agent.token);
    expect(read.errors).toBeUndefined();
    expect((read.data as { campaign: { id: string } }).campaign.id).toBe(created.id);
  });

  it('refuses customer-role callers', async () => {
    const { token } = await campaigns.caller({ role: 'customer' });
    const list = await campaigns.run(LIST, {}, token);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('resolves a Campaign reference through _entities for its own tenant only', async () => {
    const owner = await campaigns.caller();
    const stranger = await campaigns.caller();
    const created = await createCampaign(owner.token, outreach);
    const representations = [{ __typename: 'Campaign', id: created.id }];

    const own = await campaigns.run(ENTITIES, { representations }, owner.token);
    expect(own.errors).toBeUndefined();
    expect((own.data as { _entities: unknown[] })._entities).toEqual([{ id: created.id, name: outreach.name, status: 'DRAFT' }]);

    const other = await campaigns.run(ENTITIES, { representations }, stranger.token);
    expect(other.errors).toBeUndefined();
    expect((other.data as { _entities: unknown[] })._entities).toEqual([null]);
  });

  it('pages campaigns newest first with the total count', async () => {
    const { token } = await campaigns.caller();
    const ids: string[] = [];
    for (const name of ['January', 'February', 'March']) {
      ids.push((await createCampaign(token, { ...outreach, name })).id);
      await sleep(5);
    }
    type Page = {
      campaigns: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
        edges: { cursor: string; node: { id: string } }[];
        nodes: { id: string; name: string }[];
      };
    };

    const first = await campaigns.run(LIST, { first: 2 }, token);
    expect(first.errors).toBeUndefined();
    const page1 = (first.data as Page).campaigns;
    expect(page1.totalCount).toBe(3);
    expect(page1.nodes.map((node) => node.name)).toEqual(['March', 'February']);
    expect(page1.edges.map((edge) => edge.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await campaigns.run(LIST, { first: 2, after: page1.pageInfo.endCursor }, token);
    expect(second.errors).toBeUndefined();
    const page2 = (second.data as Page).campaigns;
    expect(page2.totalCount).toBe(3);
    expect(page2.nodes.map((node) => node.id)).toEqual([ids[0]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('announces campaign.created once the campaign is committed', async () => {
    const { caller, token } = await campaigns.caller();
    const created = await createCampaign(token, outreach);
    await campaigns.settle();
    const events = campaigns.events.filter((event) => event.tenantId === caller.tenantId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'campaign.created',
      source: 'campaigns',
      aggregateId: created.id,
      payload: { campaignId: created.id },
    });
  });
});

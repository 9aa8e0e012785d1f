import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { createResolutionsSubgraph } from '../../../server.js';

let resolutions: TestSubgraph<Awaited<ReturnType<typeof createResolutionsSubgraph>>>;

beforeAll(async () => {
  resolutions = await startTestSubgraph(createResolutionsSubgraph);
});
afterAll(async () => resolutions?.stop());

const FIELDS = 'id conversationId issueType owningTeam status priority rootCause fixDescription createdAt updatedAt';
const CREATE = /* GraphQL */ `
  mutation ($input: CreateResolutionInput!) { createResolution(input: $input) { ${FIELDS} } }
`;
const GET = /* GraphQL */ `
  query ($id: ID!) { resolution(id: $id) { ${FIELDS} } }
`;
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    resolutions(first: $first, after: $after) {
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
        issueType
      }
    }
  }
`;
const ENTITIES = /* GraphQL */ `
  query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Resolution {
        id
        status
        priority
      }
    }
  }
`;

interface ResolutionView {
  id: string;
  conversationId: string | null;
  issueType: string;
  owningTeam: string;
  status: string;
  priority: string;
  rootCause: string | null;
  fixDescription: string | null;
}

async function createResolution(token: string, input: Record<string, unknown>): Promise<ResolutionView> {
  const result = await resolutions.run(CREATE, { input }, token);
  expect(result.errors).toBeUndefined();
  return (result.data as { createResolution: ResolutionView }).createResolution;
}

const technicalP1 = { issueType: 'technical', owningTeam: 'engineering', priority: 'P1' };

describe('resolutions', () => {
  it('opens a resolution for a conversation with lower-case labels, and reads it back', async () => {
    const { token } = await resolutions.caller({ role: 'agent' });
    const conversationId = randomUUID();
    const created = await createResolution(token, { conversationId, issueType: ' Technical ', owningTeam: 'Engineering', priority: 'P1' });
    expect(created).toMatchObject({
      conversationId,
      issueType: 'technical',
      owningTeam: 'engineering',
      status: 'OPEN',
      priority: 'P1',
      rootCause: null,
      fixDescription: null,
    });

    const read = await resolutions.run(GET, { id: created.id }, token);
    expect(read.errors).toBeUndefined();
    expect((read.data as { resolution: ResolutionView }).resolution).toEqual(expect.objectContaining(created));
  });

  it('opens a resolution without a conversation', async () => {
    const { token } = await resolutions.caller();
    const created = await createResolution(token, { ...technicalP1, priority: 'P0' });
    expect(created).toMatchObject({ conversationId: null, priority: 'P0', status: 'OPEN' });
  });

  it('reports every invalid field of a new resolution at once', async () => {
    const { token } = await resolutions.caller();
    const result = await resolutions.run(
      CREATE,
      { input: { conversationId: 'not-a-uuid', issueType: '  ', owningTeam: '', priority: 'P2' } },
      token,
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
    const fields = (result.errors?.[0]?.extensions?.details as { field: string }[]).map((detail) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['conversationId', 'issueType', 'owningTeam']));
  });

  it('refuses a priority outside P0 to P3', async () => {
    const { token } = await resolutions.caller();
    const result = await resolutions.run(CREATE, { input: { ...technicalP1, priority: 'P4' } }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
  });

  it("answers null for another tenant's resolution and for an id that is not a UUID", async () => {
    const owner = await resolutions.caller();
    const stranger = await resolutions.caller();
    const created = await createResolution(owner.token, technicalP1);

    const crossTenant = await resolutions.run(GET, { id: created.id }, stranger.token);
    expect(crossTenant.errors).toBeUndefined();
    expect((crossTenant.data as { resolution: unknown }).resolution).toBeNull();

    const notUuid = await resolutions.run(GET, { id: '42' }, owner.token);
    expect(notUuid.errors).toBeUndefined();
    expect((notUuid.data as { resolution: unknown }).resolution).toBeNull();
  });

  it('refuses customer-role callers', async () => {
    const { token } = await resolutions.caller({ role: 'customer' });
    const create = await resolutions.run(CREATE, { input: technicalP1 }, token);
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await resolutions.run(LIST, {}, token);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('resolves a Resolution reference through _entities for its own tenant only', async () => {
    const owner = await resolutions.caller();
    const stranger = await resolutions.caller();
    const created = await createResolution(owner.token, technicalP1);
    const representations = [{ __typename: 'Resolution', id: created.id }];

    const own = await resolutions.run(ENTITIES, { representations }, owner.token);
    expect(own.errors).toBeUndefined();
    expect((own.data as { _entities: unknown[] })._entities).toEqual([{ id: created.id, status: 'OPEN', priority: 'P1' }]);

    const other = await resolutions.run(ENTITIES, { representations }, stranger.token);
    expect(other.errors).toBeUndefined();
    expect((other.data as { _entities: unknown[] })._entities).toEqual([null]);
  });

  it('pages resolutions newest first with the total count', async () => {
    const { token } = await resolutions.caller();
    const ids: string[] = [];
    for (const issueType of ['billing', 'technical', 'account']) {
      ids.push((await createResolution(token, { ...technicalP1, issueType })).id);
      await sleep(5);
    }
    type Page = {
      resolutions: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
        edges: { cursor: string; node: { id: string } }[];
        nodes: { id: string; issueType: string }[];
      };
    };

    const first = await resolutions.run(LIST, { first: 2 }, token);
    expect(first.errors).toBeUndefined();
    const page1 = (first.data as Page).resolutions;
    expect(page1.totalCount).toBe(3);
    expect(page1.nodes.map((node) => node.issueType)).toEqual(['account', 'technical']);
    expect(page1.edges.map((edge) => edge.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await resolutions.run(LIST, { first: 2, after: page1.pageInfo.endCursor }, token);
    expect(second.errors).toBeUndefined();
    const page2 = (second.data as Page).resolutions;
    expect(page2.totalCount).toBe(3);
    expect(page2.nodes.map((node) => node.id)).toEqual([ids[0]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('announces resolution.created once the resolution is committed', async () => {
    const { caller, token } = await resolutions.caller();
    const conversationId = randomUUID();
    const created = await createResolution(token, { ...technicalP1, conversationId });
    await resolutions.settle();
    const events = resolutions.events.filter((event) => event.tenantId === caller.tenantId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'resolution.created',
      source: 'resolutions',
      aggregateId: created.id,
      payload: { resolutionId: created.id, conversationId, priority: 'P1' },
    });
  });
});

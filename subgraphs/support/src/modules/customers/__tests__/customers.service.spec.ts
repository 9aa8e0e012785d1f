import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { createSupportSubgraph } from '../../../server.js';

let support: TestSubgraph<Awaited<ReturnType<typeof createSupportSubgraph>>>;

beforeAll(async () => {
  support = await startTestSubgraph(createSupportSubgraph);
});
afterAll(async () => support?.stop());

const FIELDS = 'id name email phone company status tags createdAt updatedAt';
const CREATE = /* GraphQL */ `
  mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { ${FIELDS} } }
`;
const GET = /* GraphQL */ `
  query ($id: ID!) { customer(id: $id) { ${FIELDS} } }
`;
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    customers(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
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
      ... on Customer {
        id
        name
      }
    }
  }
`;

interface CustomerView {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  status: string;
  tags: string[];
}

async function createCustomer(token: string, input: Record<string, unknown>): Promise<CustomerView> {
  const result = await support.run(CREATE, { input }, token);
  expect(result.errors).toBeUndefined();
  return (result.data as { createCustomer: CustomerView }).createCustomer;
}

describe('customers', () => {
  it('creates a customer with a lower-cased email, an E.164 phone and clean tags, and reads it back', async () => {
    const { token } = await support.caller({ role: 'agent' });
    const created = await createCustomer(token, {
      name: '  John Doe ',
      email: 'John.Doe@Example.COM',
      phone: '+1 (415) 555-2671',
      company: 'Acme Inc',
      tags: ['VIP', ' vip', 'Enterprise'],
    });
    expect(created).toMatchObject({
      name: 'John Doe',
      email: 'john.doe@example.com',
      phone: '+14155552671',
      company: 'Acme Inc',
      status: 'ACTIVE',
      tags: ['vip', 'enterprise'],
    });

    const read = await support.run(GET, { id: created.id }, token);
    expect(read.errors).toBeUndefined();
    expect((read.data as { customer: CustomerView }).customer).toEqual(expect.objectContaining(created));
  });

  it('keeps a given status and leaves unknown contact details null', async () => {
    const { token } = await support.caller();
    const created = await createCustomer(token, { name: 'Blocked Person', status: 'BLOCKED' });
    expect(created).toMatchObject({ status: 'BLOCKED', email: null, phone: null, company: null, tags: [] });
  });

  it('reports every invalid field of a new customer at once', async () => {
    const { token } = await support.caller();
    const result = await support.run(CREATE, { input: { name: '   ', email: 'not-an-email', phone: '12' } }, token);
    expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
    const fields = (result.errors?.[0]?.extensions?.details as { field: string }[]).map((detail) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'email', 'phone']));
  });

  it("answers null for another tenant's customer and for an id that is not a UUID", async () => {
    const owner = await support.caller();
    const stranger = await support.caller();
    const created = await createCustomer(owner.token, { name: 'Private Customer' });

    const crossTenant = await support.run(GET, { id: created.id }, stranger.token);
    expect(crossTenant.errors).toBeUndefined();
    expect((crossTenant.data as { customer: unknown }).customer).toBeNull();

    const notUuid = await support.run(GET, { id: 'not-a-uuid' }, owner.token);
    expect(notUuid.errors).toBeUndefined();
    expect((notUuid.data as { customer: unknown }).customer).toBeNull();
  });

  it('refuses customer-role callers and anonymous requests', async () => {
    const { token } = await support.caller({ role: 'customer' });
    const create = await support.run(CREATE, { input: { name: 'Someone' } }, token);
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await support.run(LIST, {}, token);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await support.run(LIST, {}, null);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  it('refuses to create with a read-only credential', async () => {
    const { token } = await support.caller({ role: 'agent', scopes: ['read'] });
    const result = await support.run(CREATE, { input: { name: 'Someone' } }, token);
    expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' }, message: 'Requires scope write' });
  });

  it('resolves a Customer reference through _entities for its own tenant only', async () => {
    const owner = await support.caller();
    const stranger = await support.caller();
    const created = await createCustomer(owner.token, { name: 'Referenced Customer' });
    const representations = [{ __typename: 'Customer', id: created.id }];

    const own = await support.run(ENTITIES, { representations }, owner.token);
    expect(own.errors).toBeUndefined();
    expect((own.data as { _entities: unknown[] })._entities).toEqual([{ id: created.id, name: 'Referenced Customer' }]);

    const other = await support.run(ENTITIES, { representations }, stranger.token);
    expect(other.errors).toBeUndefined();
    expect((other.data as { _entities: unknown[] })._entities).toEqual([null]);
  });

  it('pages customers newest first with the total count', async () => {
    const { token } = await support.caller();
    const ids: string[] = [];
    for (const name of ['First', 'Second', 'Third']) {
      ids.push((await createCustomer(token, { name })).id);
      await sleep(5);
    }
    type Page = {
      customers: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
        edges: { cursor: string; node: { id: string } }[];
        nodes: { id: string; name: string }[];
      };
    };

    const first = await support.run(LIST, { first: 2 }, token);
    expect(first.errors).toBeUndefined();
    const page1 = (first.data as Page).customers;
    expect(page1.totalCount).toBe(3);
    expect(page1.nodes.map((node) => node.name)).toEqual(['Third', 'Second']);
    expect(page1.edges.map((edge) => edge.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await support.run(LIST, { first: 2, after: page1.pageInfo.endCursor }, token);
    expect(second.errors).toBeUndefined();
    const page2 = (second.data as Page).customers;
    expect(page2.totalCount).toBe(3);
    expect(page2.nodes.map((node) => node.id)).toEqual([ids[0]]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('rejects a page size over 100 and a malformed cursor', async () => {
    const { token } = await support.caller();
    const tooMany = await support.run(LIST, { first: 101 }, token);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'first' }] });
    const badCursor = await support.run(LIST, { after: 'garbage' }, token);
    expect(badCursor.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'after' }] });
  });

  it('announces customer.created once the customer is committed, and nothing for a refused one', async () => {
    const { caller, token } = await support.caller();
    await support.run(CREATE, { input: { name: '' } }, token);
    const created = await createCustomer(token, { name: 'Announced Customer' });
    await support.settle();
    const events = support.events.filter((event) => event.tenantId === caller.tenantId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'customer.created',
      source: 'support',
      aggregateId: created.id,
      payload: { customerId: created.id },
    });
  });
});

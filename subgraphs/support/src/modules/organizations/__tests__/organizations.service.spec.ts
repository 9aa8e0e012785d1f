import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useSupportSubgraph } from '../../customers/__tests__/support-harness.js';

const { data, failure, caller, createCustomer, createOrganization, eventsOf, statementsDuring } = useSupportSubgraph();

const ORGANIZATION = 'id name industry size address customFields customerCount createdAt updatedAt';
const CREATE = `mutation ($input: CreateOrganizationInput!) { createOrganization(input: $input) { ${ORGANIZATION} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateOrganizationInput!) { updateOrganization(id: $id, input: $input) { ${ORGANIZATION} } }`;
const DELETE = `mutation ($id: ID!) { deleteOrganization(id: $id) }`;
const GET = `query ($id: ID!) { organization(id: $id) { ${ORGANIZATION} } }`;
const LIST = `query ($first: Int, $after: String, $offset: Int, $search: String) {
  organizations(first: $first, after: $after, offset: $offset, search: $search) {
    totalCount
    nodes { name customerCount }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const MEMBERS = `query ($id: ID!, $first: Int, $after: String) {
  organization(id: $id) { customerCount customers(first: $first, after: $after) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }
}`;
const CUSTOMER = `query ($id: ID!) { customer(id: $id) { organizationId organization { id } updatedAt } }`;
const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Organization { id name } } }`;
const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merged } }`;

describe('organizations', () => {
  it('creates an organization with its 004 fields, reads it back and announces it', async () => {
    const { tenantId, token } = await caller('agent');
    const { createOrganization: created } = await data(
      CREATE,
      {
        input: {
          name: '  Acme Inc ',
          industry: 'retail',
          size: '50-200',
          address: '1 Main St, Springfield',
          customFields: { tier: 'gold' },
        },
      },
      token,
    );
    expect(created).toMatchObject({
      name: 'Acme Inc',
      industry: 'retail',
      size: '50-200',
      address: '1 Main St, Springfield',
      customFields: { tier: 'gold' },
      customerCount: 0,
    });
    expect(await data(GET, { id: created.id }, token)).toEqual({ organization: created });
    expect((await eventsOf(tenantId, 'organization.created')).map((event) => event.payload)).toEqual([{ organizationId: created.id }]);
  });

  it('updates the given fields, removes optional ones with null and announces what changed', async () => {
    const { tenantId, token } = await caller();
    const { createOrganization: created } = await data(CREATE, { input: { name: 'Old Name', industry: 'retail', size: '1-10' } }, token);
    const { updateOrganization } = await data(
      UPDATE,
      { id: created.id, input: { name: 'New Name', industry: null, customFields: { region: 'emea' } } },
      token,
    );
    expect(updateOrganization).toMatchObject({ name: 'New Name', industry: null, size: '1-10', customFields: { region: 'emea' } });
    const events = await eventsOf(tenantId, 'organization.updated');
    expect(events.map((event) => (event.payload.fields as string[]).sort())).toEqual([['customFields', 'industry', 'name']]);
  });

  it('rejects an empty name and a non-object custom fields value', async () => {
    const { token } = await caller();
    const result = await failure(CREATE, { input: { name: ' ', customFields: 'nope' } }, token);
    expect(result.code).toBe('VALIDATION_ERROR');
    expect(result.details?.map((detail) => detail.field).sort()).toEqual(['customFields', 'name']);
  });

  it('lists organizations by name with a search, the total count and both kinds of paging', async () => {
    const { token } = await caller();
    for (const name of ['Gamma Labs', 'Alpha Foods', 'Beta Labs']) await createOrganization(token, { name });
    const all = (await data(LIST, { first: 2 }, token)).organizations;
    expect(all).toMatchObject({ totalCount: 3, nodes: [{ name: 'Alpha Foods' }, { name: 'Beta Labs' }], pageInfo: { hasNextPage: true } });
    const rest = (await data(LIST, { first: 2, after: all.pageInfo.endCursor }, token)).organizations;
    expect(rest.nodes.map((node: { name: string }) => node.name)).toEqual(['Gamma Labs']);
    const byOffset = (await data(LIST, { first: 2, offset: 2 }, token)).organizations;
    expect(byOffset).toMatchObject({ nodes: [{ name: 'Gamma Labs' }], pageInfo: { hasPreviousPage: true, hasNextPage: false } });
    const labs = (await data(LIST, { search: 'LABS' }, token)).organizations;
    expect(labs).toMatchObject({ totalCount: 2, nodes: [{ name: 'Beta Labs' }, { name: 'Gamma Labs' }] });
    expect((await data(LIST, { search: '%' }, token)).organizations.totalCount).toBe(0);
  });

  it('counts and pages its live customers, not merged ones', async () => {
    const { token } = await caller();
    const organization = await createOrganization(token, { name: 'Counted' });
    const other = await createOrganization(token, { name: 'Other' });
    const members = [];
    for (const name of ['Ann', 'Bob', 'Cyd']) members.push(await createCustomer(token, { name, organizationId: organization.id }));
    await createCustomer(token, { name: 'Elsewhere', organizationId: other.id });
    await data(MERGE, { input: { targetId: members[0].id, sourceCustomerId: members[1].id } }, token);

    const page = (await data(MEMBERS, { id: organization.id, first: 1 }, token)).organization;
    expect(page).toMatchObject({
      customerCount: 2,
      customers: { totalCount: 2, nodes: [{ name: 'Cyd' }], pageInfo: { hasNextPage: true } },
    });
    const next = (await data(MEMBERS, { id: organization.id, first: 1, after: page.customers.pageInfo.endCursor }, token)).organization;
    expect(next.customers.nodes).toEqual([{ name: 'Ann' }]);
  });

  it('counts the customers of a page of organizations with one grouped query', async () => {
    const { token } = await caller();
    for (let index = 0; index < 6; index += 1) {
      const organization = await createOrganization(token, { name: `Org ${index}` });
      for (let member = 0; member < index; member += 1)
        await createCustomer(token, { name: `Member ${member}`, organizationId: organization.id });
    }
    let counts: number[] = [];
    const statements = await statementsDuring(async () => {
      counts = (await data(LIST, { first: 6 }, token)).organizations.nodes.map((node: { customerCount: number }) => node.customerCount);
    });
    expect(counts).toEqual([0, 1, 2, 3, 4, 5]);
    // the page, its count and one grouped count of customers
    expect(statements).toHaveLength(3);
  });

  it('deletes an organization (admins only) and leaves its customers without one, in the same step', async () => {
    const admin = await caller('admin');
    const agent = await caller('agent', { tenantId: admin.tenantId });
    const organization = await createOrganization(admin.token, { name: 'Closing' });
    const member = await createCustomer(admin.token, { name: 'Member', organizationId: organization.id });
    expect((await failure(DELETE, { id: organization.id }, agent.token)).code).toBe('FORBIDDEN');

    expect(await data(DELETE, { id: organization.id }, admin.token)).toEqual({ deleteOrganization: true });
    expect((await data(GET, { id: organization.id }, admin.token)).organization).toBeNull();
    const customer = (await data(CUSTOMER, { id: member.id }, admin.token)).customer;
    expect(customer).toMatchObject({ organizationId: null, organization: null });
    expect((await failure(DELETE, { id: organization.id }, admin.token)).code).toBe('NOT_FOUND');
    expect((await eventsOf(admin.tenantId, 'organization.deleted')).map((event) => event.payload)).toEqual([
      { organizationId: organization.id, unlinkedCustomers: 1 },
    ]);
  });

  it("answers null for another tenant's organization and NOT_FOUND to changing it", async () => {
    const owner = await caller();
    const stranger = await caller();
    const organization = await createOrganization(owner.token, { name: 'Private Org' });
    expect((await data(GET, { id: organization.id }, stranger.token)).organization).toBeNull();
    expect((await data(GET, { id: 'not-a-uuid' }, stranger.token)).organization).toBeNull();
    expect((await failure(UPDATE, { id: organization.id, input: { name: 'Mine' } }, stranger.token)).code).toBe('NOT_FOUND');
    expect((await failure(DELETE, { id: organization.id }, stranger.token)).code).toBe('NOT_FOUND');
    expect((await data(LIST, {}, stranger.token)).organizations.totalCount).toBe(0);
  });

  it('refuses customer-role callers and read-only credentials where they change data', async () => {
    const admin = await caller();
    const customer = await caller('customer', { tenantId: admin.tenantId });
    const reader = await caller('agent', { tenantId: admin.tenantId, scopes: ['read'] });
    expect((await failure(LIST, {}, customer.token)).code).toBe('FORBIDDEN');
    expect((await failure(CREATE, { input: { name: 'X' } }, customer.token)).code).toBe('FORBIDDEN');
    expect((await failure(CREATE, { input: { name: 'X' } }, reader.token)).code).toBe('FORBIDDEN');
    expect((await data(LIST, {}, reader.token)).organizations.totalCount).toBe(0);
  });

  it('resolves an Organization reference through _entities for its own tenant only', async () => {
    const owner = await caller();
    const stranger = await caller();
    const organization = await createOrganization(owner.token, { name: 'Referenced Org' });
    const representations = [
      { __typename: 'Organization', id: organization.id },
      { __typename: 'Organization', id: randomUUID() },
    ];
    expect((await data(ENTITIES, { representations }, owner.token))._entities).toEqual([
      { id: organization.id, name: 'Referenced Org' },
      null,
    ]);
    expect((await data(ENTITIES, { representations }, stranger.token))._entities).toEqual([null, null]);
  });
});

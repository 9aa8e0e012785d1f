import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CustomerEntity } from '../customer.entity.js';
import { CustomerRepository } from '../customer.repository.js';
import { uniqueEmail, useSupportSubgraph } from './support-harness.js';

const { data, failure, caller, createCustomer, createOrganization, rows, statementsDuring } = useSupportSubgraph();

const LIST = `query ($first: Int, $after: String, $offset: Int, $filter: CustomerFilter) {
  customers(first: $first, after: $after, offset: $offset, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id } }
    nodes { id name }
  }
}`;
const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merged } }`;

interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: { id: string } }[];
  nodes: { id: string; name: string }[];
}

async function names(token: string, variables: Record<string, unknown>): Promise<string[]> {
  const { customers } = await data<{ customers: Page }>(LIST, variables, token);
  return customers.nodes.map((node) => node.name).sort();
}

describe('searching customers', () => {
  it('finds customers by part of the name, part of an email and the digits of a phone number, ignoring case', async () => {
    const { token } = await caller();
    await createCustomer(token, { name: 'Ada Lovelace', email: 'ada.analytical@engine.example' });
    await createCustomer(token, { name: 'Grace Hopper', emails: ['grace@navy.example', 'cobol@compilers.example'] });
    await createCustomer(token, { name: 'Alan Turing', phone: '+44 20 7946 0958' });
    await createCustomer(token, { name: 'Edsger Dijkstra', socialIds: [{ network: 'twitter', id: 'shortest_path' }] });

    expect(await names(token, { filter: { search: 'LOVE' } })).toEqual(['Ada Lovelace']);
    expect(await names(token, { filter: { search: 'a' } })).toEqual(['Ada Lovelace', 'Alan Turing', 'Edsger Dijkstra', 'Grace Hopper']);
    expect(await names(token, { filter: { search: 'COMPILERS.example' } })).toEqual(['Grace Hopper']);
    expect(await names(token, { filter: { search: '7946 0958' } })).toEqual(['Alan Turing']);
    expect(await names(token, { filter: { search: '020 7946-0958' } })).toEqual(['Alan Turing']);
    expect(await names(token, { filter: { search: '+442079460958' } })).toEqual(['Alan Turing']);
    expect(await names(token, { filter: { search: 'shortest' } })).toEqual(['Edsger Dijkstra']);
    expect(await names(token, { filter: { search: 'nobody' } })).toEqual([]);
  });

  it('takes % and _ in a search literally and counts a customer matching twice once', async () => {
    const { token } = await caller();
    await createCustomer(token, { name: '100% Cotton', email: 'cotton_100@shop.example' });
    await createCustomer(token, { name: '1000 Cottons', email: 'cottonx100@shop.example' });
    expect(await names(token, { filter: { search: '100%' } })).toEqual(['100% Cotton']);
    expect(await names(token, { filter: { search: 'cotton_' } })).toEqual(['100% Cotton']);
    const { customers } = await data<{ customers: Page }>(LIST, { filter: { search: 'cotton' } }, token);
    expect(customers.totalCount).toBe(2);
  });

  it("never finds another tenant's customers", async () => {
    const alpha = await caller();
    const beta = await caller();
    await createCustomer(beta.token, { name: 'Beta Only', email: uniqueEmail('beta-only') });
    expect(await names(alpha.token, { filter: { search: 'beta' } })).toEqual([]);
    expect(await names(alpha.token, {})).toEqual([]);
  });
});

describe('filtering customers', () => {
  it('filters by SLA tier, every tag, every segment, status and organization, together with a search', async () => {
    const { token } = await caller();
    const acme = await createOrganization(token, { name: 'Acme' });
    await createCustomer(token, { name: 'Premium VIP', slaTier: 'premium', tags: ['vip', 'enterprise'], segments: ['high-value', 'emea'] });
    await createCustomer(token, { name: 'Premium Plain', slaTier: 'premium', tags: ['vip'], segments: ['high-value'], status: 'INACTIVE' });
    await createCustomer(token, { name: 'Standard Blocked', tags: ['enterprise'], status: 'BLOCKED', organizationId: acme.id });
    await createCustomer(token, { name: 'Standard Member', organizationId: acme.id });

    expect(await names(token, { filter: { slaTier: 'PREMIUM' } })).toEqual(['Premium Plain', 'Premium VIP']);
    expect(await names(token, { filter: { tags: ['VIP'] } })).toEqual(['Premium Plain', 'Premium VIP']);
    expect(await names(token, { filter: { tags: ['vip', 'enterprise'] } })).toEqual(['Premium VIP']);
    expect(await names(token, { filter: { segments: ['high-value', 'emea'] } })).toEqual(['Premium VIP']);
    expect(await names(token, { filter: { status: 'BLOCKED' } })).toEqual(['Standard Blocked']);
    expect(await names(token, { filter: { status: 'ACTIVE' } })).toEqual(['Premium VIP', 'Standard Member']);
    expect(await names(token, { filter: { organizationId: acme.id } })).toEqual(['Standard Blocked', 'Standard Member']);
    expect(await names(token, { filter: { organizationId: 'not-a-uuid' } })).toEqual([]);
    expect(await names(token, { filter: { organizationId: acme.id, status: 'ACTIVE', search: 'member' } })).toEqual(['Standard Member']);
    expect(await names(token, { filter: { tags: ['enterprise'], search: 'premium' } })).toEqual(['Premium VIP']);
  });

  it('never lists a merged customer', async () => {
    const { token } = await caller();
    const target = await createCustomer(token, { name: 'Kept Customer' });
    const source = await createCustomer(token, { name: 'Merged Customer', email: uniqueEmail('merged') });
    await data(MERGE, { input: { targetId: target.id, sourceCustomerId: source.id } }, token);
    expect(await names(token, {})).toEqual(['Kept Customer']);
    expect(await names(token, { filter: { search: 'merged' } })).toEqual(['Kept Customer']);
  });
});

describe('paging customers', () => {
  it('pages newest first with the total count, by cursor and by offset', async () => {
    const { token } = await caller();
    const ids: string[] = [];
    for (const name of ['First', 'Second', 'Third']) {
      ids.push((await createCustomer(token, { name })).id);
      await sleep(5);
    }
    const page1 = (await data<{ customers: Page }>(LIST, { first: 2 }, token)).customers;
    expect(page1.totalCount).toBe(3);
    expect(page1.nodes.map((node) => node.name)).toEqual(['Third', 'Second']);
    expect(page1.edges.map((edge) => edge.node.id)).toEqual([ids[2], ids[1]]);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const page2 = (await data<{ customers: Page }>(LIST, { first: 2, after: page1.pageInfo.endCursor }, token)).customers;
    expect(page2).toMatchObject({ totalCount: 3, nodes: [{ id: ids[0] }], pageInfo: { hasNextPage: false } });

    const byOffset = (await data<{ customers: Page }>(LIST, { first: 2, offset: 2 }, token)).customers;
    expect(byOffset).toMatchObject({ totalCount: 3, nodes: [{ id: ids[0] }], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
  });

  it('rejects a page size over 100, a malformed cursor and a search over 200 characters', async () => {
    const { token } = await caller();
    expect(await failure(LIST, { first: 101 }, token)).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'first' }] });
    expect(await failure(LIST, { after: 'garbage' }, token)).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'after' }] });
    expect(await failure(LIST, { filter: { search: 'x'.repeat(201) } }, token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'filter.search' }],
    });
  });
});

describe('loading a page of customers', () => {
  const PAGE = `query ($first: Int) {
    customers(first: $first) {
      totalCount
      nodes { id email phone identityGraph { emails socialIds } identities { value } organization { id name customerCount } }
    }
  }`;

  it('costs the same number of SQL statements for 5 and for 20 customers with identities and organizations', async () => {
    const { token } = await caller();
    const organizations = [await createOrganization(token, { name: 'One' }), await createOrganization(token, { name: 'Two' })];
    for (let index = 0; index < 20; index += 1) {
      await createCustomer(token, {
        name: `Customer ${index}`,
        emails: [uniqueEmail(`c${index}`), uniqueEmail(`d${index}`)],
        phone: `+1415555${String(1000 + index)}`,
        organizationId: organizations[index % 2]?.id,
      });
    }
    const costOf = async (first: number) => {
      let nodes: { identities: unknown[]; organization: unknown }[] = [];
      const statements = await statementsDuring(async () => {
        nodes = (await data<{ customers: { nodes: typeof nodes } }>(PAGE, { first }, token)).customers.nodes;
      });
      expect(nodes).toHaveLength(first);
      expect(nodes.every((node) => node.identities.length === 3 && node.organization !== null)).toBe(true);
      return statements.length;
    };
    const five = await costOf(5);
    const twenty = await costOf(20);
    expect(twenty).toBe(five);
    // page + count, identities, organizations, customer counts
    expect(five).toBe(5);
  });
});

describe('the search query', () => {
  it('is served by the trigram indexes on names and identity values', async () => {
    const { tenantId } = await caller();
    const em = rows(tenantId);
    const connection = em.getConnection();
    await connection.execute(
      `insert into support.customers (id, tenant_id, name, tags, segments, risk_flags, custom_fields, created_at, updated_at)
       select gen_random_uuid(), ?, 'Customer ' || md5(g::text), '{}', '{}', '{}', '{}', now() - g * interval '1 minute', now()
       from generate_series(1, 4000) g`,
      [tenantId],
    );
    await connection.execute(
      `insert into support.customer_identities (id, tenant_id, customer_id, kind, network, value, is_primary, created_at)
       select gen_random_uuid(), tenant_id, id, 'email', '', substr(md5(id::text), 1, 12) || '@example.com', true, now()
       from support.customers where tenant_id = ?`,
      [tenantId],
    );
    // GIN indexes report their size to the planner once vacuumed (autovacuum does it in production).
    await connection.execute('vacuum analyze support.customers');
    await connection.execute('vacuum analyze support.customer_identities');

    const plan = await explain(em, tenantId, 'a1b2c3');
    expect(plan).toContain('customers_name_trgm_idx');
    expect(plan).toContain('customer_identities_value_trgm_idx');
    expect(plan).not.toMatch(/Seq Scan on customer/);
  });
});

/** The plan of the repository's search condition, with the tenant condition the ORM's filter adds. */
async function explain(em: EntityManager, tenantId: string, search: string): Promise<string> {
  const sql = em
    .createQueryBuilder(CustomerEntity, 'customer')
    .select('*')
    .where({ tenantId, ...new CustomerRepository(em).where({ search }) })
    .orderBy({ createdAt: 'desc', id: 'desc' })
    .limit(21)
    .getFormattedQuery();
  const result: { 'QUERY PLAN': string }[] = await em.getConnection().execute(`explain ${sql}`);
  return result.map((row) => row['QUERY PLAN']).join('\n');
}

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSupportSubgraph, type TestTenant } from './support-harness.js';

const { db, data, failure, tenant, customer, createConversation, send } = useSupportSubgraph();

const LIST = `query ($first: Int, $after: String, $offset: Int, $filter: ConversationFilter, $sortBy: ConversationSortField, $sortOrder: SortOrder) {
  conversations(first: $first, after: $after, offset: $offset, filter: $filter, sortBy: $sortBy, sortOrder: $sortOrder) {
    totalCount
    edges { cursor node { id } }
    nodes { id subject }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface Page {
  totalCount: number;
  edges: { cursor: string; node: { id: string } }[];
  nodes: { id: string; subject: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const HOUR = 3_600_000;
const base = Date.parse('2026-01-01T00:00:00.000Z');
const at = (hours: number) => new Date(base + hours * HOUR);

/** The fixture: one row per conversation, written through the API, then shaped with SQL. */
interface Row {
  key: string;
  subject: string;
  message: string;
  note?: string;
  customer: 'ada' | 'bob';
  state: string;
  agent: 'x' | 'y' | null;
  team: 't1' | 't2' | null;
  severity: string;
  tags: string[];
  channels: string[];
  created: number;
  last: number | null;
  /** SLA due: 'past', 'future' or none. */
  sla: 'past' | 'future' | null;
  deleted?: boolean;
}

const rows: Row[] = [
  {
    key: 'invoice',
    subject: 'Invoice is wrong',
    message: 'please refund the late fee',
    customer: 'ada',
    state: 'awaiting_agent',
    agent: 'x',
    team: 't1',
    severity: 'P1',
    tags: ['billing', 'vip'],
    channels: ['web_chat', 'email'],
    created: 0,
    last: 10,
    sla: 'past',
  },
  {
    key: 'login',
    subject: 'Login broken',
    message: 'cannot sign in since monday',
    customer: 'ada',
    state: 'new',
    agent: null,
    team: 't1',
    severity: 'P0',
    tags: ['login'],
    channels: ['web_chat'],
    created: 1,
    last: null,
    sla: 'past',
  },
  {
    key: 'reset',
    subject: 'Password reset',
    message: 'the reset link expired',
    customer: 'bob',
    state: 'escalated',
    agent: 'x',
    team: 't2',
    severity: 'P2',
    tags: ['login', 'vip'],
    channels: ['email'],
    created: 2,
    last: 10,
    sla: 'future',
  },
  {
    key: 'shipping',
    subject: 'Shipping delay',
    message: 'where is my parcel',
    customer: 'bob',
    state: 'resolved',
    agent: 'y',
    team: null,
    severity: 'P3',
    tags: [],
    channels: ['sms'],
    created: 3,
    last: 3,
    sla: 'past',
  },
  {
    key: 'question',
    subject: 'Question',
    message: 'do you ship abroad',
    note: 'looks like a refund candidate',
    customer: 'ada',
    state: 'awaiting_customer',
    agent: 'y',
    team: null,
    severity: 'P3',
    tags: ['billing'],
    channels: ['whatsapp', 'email'],
    created: 3,
    last: null,
    sla: null,
  },
  {
    key: 'cancel',
    subject: 'Cancel plan',
    message: 'I want to cancel',
    customer: 'bob',
    state: 'closed',
    agent: null,
    team: null,
    severity: 'P1',
    tags: ['billing'],
    channels: ['email'],
    created: 5,
    last: 1,
    sla: null,
  },
  {
    key: 'gone',
    subject: 'Invoice deleted ticket',
    message: 'refund refund',
    customer: 'ada',
    state: 'awaiting_agent',
    agent: 'x',
    team: 't1',
    severity: 'P1',
    tags: ['billing', 'vip'],
    channels: ['email'],
    created: 4,
    last: 4,
    sla: 'past',
    deleted: true,
  },
];

let t: TestTenant;
const ids = new Map<string, string>();
const people = { ada: '', bob: '', x: randomUUID(), y: randomUUID(), t1: randomUUID(), t2: randomUUID() };
let slaPast: Date;
let slaFuture: Date;

beforeAll(async () => {
  t = await tenant();
  people.ada = await customer(t, 'Ada');
  people.bob = await customer(t, 'Bob');
  slaPast = new Date(Date.now() - HOUR);
  slaFuture = new Date(Date.now() + 24 * HOUR);
  for (const row of rows) {
    const created = await createConversation(t, {
      customerId: people[row.customer],
      channel: 'API',
      subject: row.subject,
      initialMessage: { content: row.message },
    });
    ids.set(row.key, created.id);
    if (row.note) await send(t.agent, created.id, { content: row.note, internal: true });
    await db()
      .withSchema('support')
      .table('conversations')
      .where({ id: created.id })
      .update({
        state: row.state,
        assigned_agent_id: row.agent ? people[row.agent] : null,
        assigned_team_id: row.team ? people[row.team] : null,
        severity: row.severity,
        tags: row.tags,
        channels_used: row.channels,
        created_at: at(row.created),
        last_message_at: row.last === null ? null : at(row.last),
        sla_due_at: row.sla === 'past' ? slaPast : row.sla === 'future' ? slaFuture : null,
        deleted_at: row.deleted ? new Date() : null,
      });
  }
});

async function list(variables: Record<string, unknown>): Promise<Page> {
  return (await data(LIST, variables, t.agent)).conversations as Page;
}

/** Keys of every conversation matching, in the answer's order. */
async function keys(filter: Record<string, unknown>, sort: Record<string, unknown> = {}): Promise<string[]> {
  const page = await list({ first: 100, filter, ...sort });
  expect(page.totalCount).toBe(page.nodes.length);
  return page.nodes.map((node) => keyOf(node.id));
}

function keyOf(id: string): string {
  return [...ids].find(([, value]) => value === id)?.[0] ?? id;
}

const live = () => rows.filter((row) => !row.deleted);

/** The order the API must produce: the key with NULLS LAST, then the id, both in the same direction. */
function expectedOrder(field: 'created' | 'last' | 'sla', order: 'ASC' | 'DESC'): string[] {
  const value = (row: Row): number | null =>
    field === 'created' ? row.created : field === 'last' ? row.last : row.sla === 'past' ? 0 : row.sla === 'future' ? 1 : null;
  const sign = order === 'ASC' ? 1 : -1;
  return live()
    .sort((a, b) => {
      const [va, vb] = [value(a), value(b)];
      if (va === null && vb !== null) return 1;
      if (vb === null && va !== null) return -1;
      if (va !== null && vb !== null && va !== vb) return sign * (va - vb);
      return sign * (ids.get(a.key)! < ids.get(b.key)! ? -1 : 1);
    })
    .map((row) => row.key);
}

describe('conversations filters', () => {
  it('lists every conversation of the tenant except deleted ones', async () => {
    expect((await keys({})).sort()).toEqual(
      live()
        .map((row) => row.key)
        .sort(),
    );
    const other = await tenant();
    expect((await data(LIST, { first: 100 }, other.agent)).conversations.totalCount).toBe(0);
  });

  it('filter by state', async () => {
    expect((await keys({ state: ['AWAITING_AGENT', 'ESCALATED'] })).sort()).toEqual(['invoice', 'reset']);
    expect(await keys({ state: ['CLOSED'] })).toEqual(['cancel']);
  });

  it('filter by assigned agent and team; an id that is not a UUID matches nothing', async () => {
    expect((await keys({ assignedAgentId: people.x })).sort()).toEqual(['invoice', 'reset']);
    expect((await keys({ assignedTeamId: people.t1 })).sort()).toEqual(['invoice', 'login']);
    expect(await keys({ assignedAgentId: people.y, assignedTeamId: people.t1 })).toEqual([]);
    expect(await keys({ assignedAgentId: 'agent-x' })).toEqual([]);
  });

  it('filter by severity', async () => {
    expect((await keys({ severity: ['P0', 'P1'] })).sort()).toEqual(['cancel', 'invoice', 'login']);
  });

  it('filter by any channel used', async () => {
    expect((await keys({ channel: ['EMAIL'] })).sort()).toEqual(['cancel', 'invoice', 'question', 'reset']);
    expect((await keys({ channel: ['SMS', 'WHATSAPP'] })).sort()).toEqual(['question', 'shipping']);
  });

  it('filter by SLA breach: due in the past and still open, or the opposite', async () => {
    expect((await keys({ slaBreach: true })).sort()).toEqual(['invoice', 'login']);
    expect((await keys({ slaBreach: false })).sort()).toEqual(['cancel', 'question', 'reset', 'shipping']);
  });

  it('filter by customer', async () => {
    expect((await keys({ customerId: people.bob })).sort()).toEqual(['cancel', 'reset', 'shipping']);
    expect(await keys({ customerId: randomUUID() })).toEqual([]);
  });

  it('filter by tags, requiring every one (case-insensitively)', async () => {
    expect((await keys({ tags: ['Billing'] })).sort()).toEqual(['cancel', 'invoice', 'question']);
    expect(await keys({ tags: ['billing', 'VIP'] })).toEqual(['invoice']);
  });

  it('filter by creation time', async () => {
    expect((await keys({ createdAfter: at(3).toISOString() })).sort()).toEqual(['cancel', 'question', 'shipping']);
    expect((await keys({ createdBefore: at(2).toISOString() })).sort()).toEqual(['invoice', 'login']);
    expect(await keys({ createdAfter: at(1).toISOString(), createdBefore: at(3).toISOString() })).toEqual(['reset', 'login']);
  });

  it('search the subject (partial words, any case) and the words of messages and notes', async () => {
    expect(await keys({ search: 'NVOIC' })).toEqual(['invoice']);
    expect(await keys({ search: '100%' })).toEqual([]);
    expect((await keys({ search: 'refund' })).sort()).toEqual(['invoice', 'question']);
    expect(await keys({ search: 'parcel' })).toEqual(['shipping']);
    expect(await keys({ search: 'reset link' })).toEqual(['reset']);
  });

  it('no longer finds the words of a deleted message', async () => {
    const customerId = await customer(t, 'Temp');
    const created = await createConversation(t, {
      customerId,
      channel: 'API',
      subject: 'Temporary',
      initialMessage: { content: 'xylophone' },
    });
    const reply = await send(t.agent, created.id, { content: 'zeppelin' });
    expect(await keys({ search: 'zeppelin' })).toEqual([created.id]);
    await data(`mutation ($id: ID!) { deleteMessage(id: $id) { id } }`, { id: reply.id }, t.agent);
    expect(await keys({ search: 'zeppelin' })).toEqual([]);
    expect(await keys({ search: 'xylophone' })).toEqual([created.id]);
    await db().withSchema('support').table('conversations').where({ id: created.id }).update({ deleted_at: new Date() });
  });

  it('combine filters', async () => {
    expect(await keys({ tags: ['billing'], channel: ['EMAIL'], state: ['AWAITING_CUSTOMER', 'CLOSED'], customerId: people.ada })).toEqual([
      'question',
    ]);
  });

  it('refuse invalid filters', async () => {
    const error = await failure(LIST, { filter: { search: 'x'.repeat(201) }, first: 0 }, t.agent);
    expect(error.code).toBe('VALIDATION_ERROR');
  });
});

describe('conversations sorting and pagination', () => {
  const sorts = [
    ['CREATED_AT', 'created'],
    ['LAST_MESSAGE_AT', 'last'],
    ['SLA_DUE_AT', 'sla'],
  ] as const;

  for (const [sortBy, field] of sorts) {
    for (const sortOrder of ['ASC', 'DESC'] as const) {
      it(`sorts by ${sortBy} ${sortOrder} (nulls last, ties by id) and pages through it with cursors and offsets`, async () => {
        const expected = expectedOrder(field, sortOrder);
        expect(await keys({}, { sortBy, sortOrder })).toEqual(expected);

        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        for (;;) {
          const page: Page = await list({ first: 2, after, sortBy, sortOrder });
          expect(page.totalCount).toBe(expected.length);
          expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
          expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
          seen.push(...page.nodes.map((node) => keyOf(node.id)));
          pages += 1;
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(seen).toEqual(expected);
        expect(pages).toBe(Math.ceil(expected.length / 2));

        const offsetPage = await list({ first: 2, offset: 2, sortBy, sortOrder });
        expect(offsetPage.nodes.map((node) => keyOf(node.id))).toEqual(expected.slice(2, 4));
        expect(offsetPage.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
        // A cursor of an offset page continues with keyset pagination.
        const next = await list({ first: 100, after: offsetPage.pageInfo.endCursor, sortBy, sortOrder });
        expect(next.nodes.map((node) => keyOf(node.id))).toEqual(expected.slice(4));
      });
    }
  }

  it('defaults to the newest first', async () => {
    expect(await keys({})).toEqual(expectedOrder('created', 'DESC'));
  });

  it('refuses forged cursors, cursors of another order and bad page sizes', async () => {
    const page = await list({ first: 1, sortBy: 'LAST_MESSAGE_AT' });
    for (const variables of [
      { after: 'garbage' },
      { after: Buffer.from(JSON.stringify(['CREATED_AT', "'; drop table x; --", randomUUID()])).toString('base64url') },
      { after: Buffer.from(JSON.stringify(['CREATED_AT', null, randomUUID()])).toString('base64url') },
      { after: Buffer.from(JSON.stringify(['CREATED_AT', '2026-01-01 00:00:00+00', 'x'])).toString('base64url') },
      { after: page.pageInfo.endCursor, sortBy: 'CREATED_AT' },
      { first: 101 },
      { first: 1, offset: -1 },
      { after: page.pageInfo.endCursor, offset: 1, sortBy: 'LAST_MESSAGE_AT' },
    ]) {
      const error = await failure(LIST, variables, t.agent);
      expect(error.code).toBe('VALIDATION_ERROR');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { useSupportSubgraph, type TestTenant } from './support-harness.js';

const { db, data, failure, tenant, customer, createConversation, send } = useSupportSubgraph();

const CUSTOMERS = (fields: string) =>
  `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Customer { id ${fields} } } }`;

async function customers(t: TestTenant, ids: string[], fields: string) {
  const { _entities } = await data(CUSTOMERS(fields), { representations: ids.map((id) => ({ __typename: 'Customer', id })) }, t.agent);
  return _entities as Record<string, any>[];
}

const HOUR = 3_600_000;

async function shape(id: string, fields: Record<string, unknown>) {
  await db().withSchema('support').table('conversations').where({ id }).update(fields);
}

describe('Customer.stats', () => {
  it('counts conversations, open ones, the mean resolution time and the last contact, per customer in one request', async () => {
    const t = await tenant();
    const ada = await customer(t, 'Ada');
    const bob = await customer(t, 'Bob');
    const quiet = await customer(t, 'Quiet');
    const start = new Date('2026-03-01T08:00:00.000Z');
    const open = await createConversation(t, { customerId: ada, channel: 'EMAIL', initialMessage: { content: 'one' } });
    const resolved = await createConversation(t, { customerId: ada, channel: 'EMAIL', initialMessage: { content: 'two' } });
    const closed = await createConversation(t, { customerId: ada, channel: 'EMAIL', initialMessage: { content: 'three' } });
    await createConversation(t, { customerId: bob, channel: 'SMS', initialMessage: { content: 'four' } });
    await shape(open.id, { created_at: start, last_message_at: new Date(start.getTime() + 50 * HOUR) });
    await shape(resolved.id, {
      created_at: start,
      resolved_at: new Date(start.getTime() + 2 * HOUR),
      state: 'resolved',
      last_message_at: start,
    });
    await shape(closed.id, {
      created_at: start,
      resolved_at: new Date(start.getTime() + 4 * HOUR),
      state: 'closed',
      last_message_at: start,
    });

    const [adaStats, bobStats, quietStats] = await customers(
      t,
      [ada, bob, quiet],
      'stats { totalConversations openConversations avgResolutionTimeHours lastContactAt }',
    );
    expect(adaStats!.stats).toEqual({
      totalConversations: 3,
      openConversations: 1,
      avgResolutionTimeHours: 3,
      lastContactAt: new Date(start.getTime() + 50 * HOUR).toISOString(),
    });
    expect(bobStats!.stats).toMatchObject({ totalConversations: 1, openConversations: 1, avgResolutionTimeHours: null });
    expect(bobStats!.stats.lastContactAt).not.toBeNull();
    expect(quietStats!.stats).toEqual({ totalConversations: 0, openConversations: 0, avgResolutionTimeHours: null, lastContactAt: null });
  });
});

describe('Customer.recentConversations and Customer.conversations', () => {
  it('list the customer’s conversations newest first, with cursors and offsets', async () => {
    const t = await tenant();
    const ada = await customer(t, 'Ada');
    const bob = await customer(t, 'Bob');
    const created: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      created.push((await createConversation(t, { customerId: ada, channel: 'API', initialMessage: { content: `c${index}` } })).id);
    }
    const bobs = (await createConversation(t, { customerId: bob, channel: 'API', initialMessage: { content: 'bob' } })).id;
    const newestFirst = [...created].reverse();

    const [adaRecent, bobRecent] = await customers(t, [ada, bob], 'recentConversations(limit: 2) { id }');
    expect(adaRecent!.recentConversations.map((conversation: { id: string }) => conversation.id)).toEqual(newestFirst.slice(0, 2));
    expect(bobRecent!.recentConversations).toEqual([{ id: bobs }]);
    const [defaults] = await customers(t, [ada], 'recentConversations { id }');
    expect(defaults!.recentConversations).toHaveLength(5);

    const PAGE = 'conversations(first: 2, after: $after) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } }';
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const result: { _entities: Record<string, any>[] } = await data(
        `query ($representations: [_Any!]!, $after: String) { _entities(representations: $representations) { ... on Customer { ${PAGE} } } }`,
        { representations: [{ __typename: 'Customer', id: ada }], after },
        t.agent,
      );
      const page = result._entities[0]!.conversations;
      expect(page.totalCount).toBe(5);
      seen.push(...page.nodes.map((node: { id: string }) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(newestFirst);

    const [both, bobPage] = await customers(
      t,
      [ada, bob],
      'conversations(offset: 3, first: 10) { totalCount nodes { id } pageInfo { hasPreviousPage hasNextPage } }',
    );
    expect(both!.conversations).toEqual({
      totalCount: 5,
      nodes: newestFirst.slice(3).map((id) => ({ id })),
      pageInfo: { hasPreviousPage: true, hasNextPage: false },
    });
    expect(bobPage!.conversations.nodes).toEqual([]);
    expect(bobPage!.conversations.totalCount).toBe(1);

    const tooMany = await failure(
      CUSTOMERS('recentConversations(limit: 21) { id }'),
      { representations: [{ __typename: 'Customer', id: ada }] },
      t.agent,
    );
    expect(tooMany.code).toBe('VALIDATION_ERROR');
  });
});

describe('Customer.timeline', () => {
  it('merges conversation starts, messages, notes and state changes newest first, without deleted messages, page by page', async () => {
    const t = await tenant();
    const ada = await customer(t, 'Ada');
    const other = await customer(t, 'Other');
    const first = await createConversation(t, { customerId: ada, channel: 'WEB_CHAT', initialMessage: { content: 'help' } });
    const reply = await send(t.agent, first.id, { content: 'on it' });
    const note = await send(t.agent, first.id, { content: 'internal detail', internal: true });
    const oops = await send(t.agent, first.id, { content: 'wrong customer, sorry' });
    await data(`mutation ($id: ID!) { deleteMessage(id: $id) { id } }`, { id: oops.id }, t.agent);
    await data(`mutation ($id: ID!) { escalateConversation(id: $id, input: { reason: "bug" }) { id } }`, { id: first.id }, t.agent);
    const second = await createConversation(t, { customerId: ada, channel: 'EMAIL', initialMessage: { content: 'another thing' } });
    await createConversation(t, { customerId: other, channel: 'EMAIL', initialMessage: { content: 'not Ada' } });

    const ENTRY = 'kind occurredAt conversation { id } message { id content isInternal } event { type data }';
    const [entity] = await customers(
      t,
      [ada],
      `timeline(first: 100) { nodes { id ${ENTRY} } edges { cursor } pageInfo { hasNextPage hasPreviousPage } }`,
    );
    const timeline = entity!.timeline;
    const summary = timeline.nodes.map((node: any) => [node.kind, node.message?.content ?? node.event?.type ?? node.conversation.id]);
    expect(summary).toEqual([
      ['MESSAGE', 'another thing'],
      ['CONVERSATION_STARTED', second.id],
      ['STATE_CHANGE', 'STATE_CHANGED'],
      ['NOTE', 'internal detail'],
      ['STATE_CHANGE', 'STATE_CHANGED'],
      ['MESSAGE', 'on it'],
      ['MESSAGE', 'help'],
      ['CONVERSATION_STARTED', first.id],
    ]);
    expect(timeline.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: false });
    expect(timeline.nodes[3]).toMatchObject({ id: note.id, message: { isInternal: true }, conversation: { id: first.id } });
    expect(timeline.nodes[5].id).toBe(reply.id);
    // One entry per escalation: its state change, with the reason.
    expect(timeline.nodes[2].event.data).toEqual({ from: 'AWAITING_CUSTOMER', to: 'ESCALATED', reason: 'bug' });
    const times = timeline.nodes.map((node: { occurredAt: string }) => node.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const paged: string[] = [];
    let after: string | null = null;
    let hasPreviousPage = false;
    for (;;) {
      const result: { _entities: Record<string, any>[] } = await data(
        `query ($representations: [_Any!]!, $after: String) { _entities(representations: $representations) { ... on Customer {
          timeline(first: 4, after: $after) { nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } } } } }`,
        { representations: [{ __typename: 'Customer', id: ada }], after },
        t.agent,
      );
      const page = result._entities[0]!.timeline;
      expect(page.pageInfo.hasPreviousPage).toBe(hasPreviousPage);
      paged.push(...page.nodes.map((node: { id: string }) => node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      hasPreviousPage = true;
    }
    expect(paged).toEqual(timeline.nodes.map((node: { id: string }) => node.id));

    const bad = await failure(
      CUSTOMERS('timeline(after: "forged") { nodes { id } }'),
      { representations: [{ __typename: 'Customer', id: ada }] },
      t.agent,
    );
    expect(bad.code).toBe('VALIDATION_ERROR');
  });
});

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSupportSubgraph, type TestTenant } from './support-harness.js';

let recording: string[] | null = null;
const { db, data, tenant } = useSupportSubgraph({ onQuery: (sql) => recording?.push(sql) });

const NODES = 'nodes { id subject customer { name } assignedAgent { id } lastMessage { content } }';
const LIST = `query ($first: Int) { conversations(first: $first) { totalCount ${NODES} } }`;
const UNCOUNTED_LIST = `query ($first: Int) { conversations(first: $first) { ${NODES} } }`;

const CONVERSATIONS = 100;

let t: TestTenant;
const agents = Array.from({ length: 5 }, () => randomUUID());

/** 100 customers, 100 conversations and 300 messages of one tenant, in three statements. */
beforeAll(async () => {
  t = await tenant();
  const start = Date.parse('2026-05-01T00:00:00.000Z');
  const customers = Array.from({ length: CONVERSATIONS }, (_, index) => ({
    id: randomUUID(),
    tenant_id: t.tenantId,
    name: `Customer ${index}`,
    created_at: new Date(start),
    updated_at: new Date(start),
  }));
  const conversations = customers.map((customer, index) => ({
    id: randomUUID(),
    tenant_id: t.tenantId,
    customer_id: customer.id,
    state: 'awaiting_agent',
    channels_used: ['email'],
    current_channel: 'email',
    assigned_agent_id: index % 4 === 0 ? null : agents[index % agents.length],
    subject: `Case ${index}`,
    message_count: 3,
    created_at: new Date(start + index * 60_000),
    updated_at: new Date(start + index * 60_000),
    last_message_at: new Date(start + index * 60_000 + 3000),
  }));
  const messages = conversations.flatMap((conversation, index) =>
    [1, 2, 3].map((n) => ({
      id: randomUUID(),
      tenant_id: t.tenantId,
      conversation_id: conversation.id,
      customer_id: conversation.customer_id,
      channel: 'email',
      direction: n === 2 ? 'outbound' : 'inbound',
      sender_type: n === 2 ? 'agent' : 'customer',
      content: `message ${n} of case ${index}`,
      // The newest one is an internal note in every other conversation: lastMessage skips it.
      is_internal: n === 3 && index % 2 === 0,
      status: 'delivered',
      created_at: new Date(conversation.created_at.getTime() + n * 1000),
      updated_at: new Date(conversation.created_at.getTime() + n * 1000),
    })),
  );
  await db().withSchema('support').insert(customers).into('customers');
  await db().withSchema('support').insert(conversations).into('conversations');
  await db().withSchema('support').insert(messages).into('messages');
});

async function statementsOf(first: number, query = LIST) {
  recording = [];
  const result = await data(query, { first }, t.agent);
  const statements = recording;
  recording = null;
  return { result: result.conversations as { totalCount: number; nodes: Record<string, any>[] }, statements };
}

describe('listing conversations with customer, agent and last message', () => {
  it('costs the same small number of SQL statements for 10 and for 100 conversations', async () => {
    const ten = await statementsOf(10);
    const hundred = await statementsOf(100);

    expect(ten.result.nodes).toHaveLength(10);
    expect(hundred.result.nodes).toHaveLength(CONVERSATIONS);
    expect(hundred.result.totalCount).toBe(CONVERSATIONS);
    const newest = hundred.result.nodes[0]!;
    expect(newest).toMatchObject({
      subject: 'Case 99',
      customer: { name: 'Customer 99' },
      lastMessage: { content: 'message 3 of case 99' },
    });
    expect(hundred.result.nodes[1]).toMatchObject({ subject: 'Case 98', lastMessage: { content: 'message 2 of case 98' } });
    expect(hundred.result.nodes.filter((node) => node.assignedAgent === null)).toHaveLength(25);

    expect(hundred.statements.length, hundred.statements.join('\n')).toBe(ten.statements.length);
    // The page, its total, the customers and the last messages.
    expect(ten.statements.length, ten.statements.join('\n')).toBe(4);
  });

  it('counts the total only when the client selects totalCount', async () => {
    const counted = await statementsOf(50);
    const uncounted = await statementsOf(50, UNCOUNTED_LIST);
    expect(uncounted.result.nodes.map((node) => node.id)).toEqual(counted.result.nodes.map((node) => node.id));
    expect(counted.statements.filter((sql) => /count\(\*\)/i.test(sql))).toHaveLength(1);
    expect(uncounted.statements.filter((sql) => /count\(\*\)/i.test(sql))).toHaveLength(0);
    expect(uncounted.statements).toHaveLength(counted.statements.length - 1);
  });
});

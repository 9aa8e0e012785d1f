import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerTenant, startTestGateway, type SignedIn, type TestGateway } from './support/test-gateway.js';

let harness: TestGateway;
let admin: SignedIn;
let agent: SignedIn;
let agentName: string;

beforeAll(async () => {
  harness = await startTestGateway({ bodyLimit: '15mb' });
  admin = await registerTenant(harness, 'Ada Admin');
  agent = await addUser(harness, admin, 'agent');
  agentName = (await harness.rest('GET', '/v1/auth/me', undefined, agent.headers)).body.data.displayName;
});
afterAll(async () => harness?.stop());

type Data = Record<string, any>;

/** Runs GraphQL as `who`; fails the test on errors. */
async function gql(query: string, variables: Record<string, unknown> = {}, who: SignedIn = agent): Promise<Data> {
  const response = await harness.graphql<Data>(query, variables, who.headers);
  expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
  return response.body.data!;
}

async function gqlError(query: string, variables: Record<string, unknown> = {}, who: SignedIn = agent) {
  const response = await harness.graphql(query, variables, who.headers);
  expect(response.body.errors?.length, JSON.stringify(response.body)).toBeGreaterThan(0);
  return response.body.errors![0]!;
}

const CREATE_CUSTOMER = `mutation ($input: CreateCustomerInput!) { createCustomer(input: $input) { id name identityGraph { emails phoneNumbers } } }`;
const CREATE_CONVERSATION = `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id state messageCount } }`;

function unique(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}@example.com`;
}

describe('the support core through GraphQL', () => {
  it('runs a conversation from the first message to reopening, and lists it with names from two subgraphs', async () => {
    const { createCustomer: customer } = await gql(CREATE_CUSTOMER, {
      input: { name: 'Grace Customer', email: unique('grace'), emails: [unique('grace.work')], phone: '+1 415 555 2671' },
    });
    expect(customer.identityGraph.emails).toHaveLength(2);
    expect(customer.identityGraph.phoneNumbers).toEqual(['+14155552671']);

    const { createConversation: opened } = await gql(CREATE_CONVERSATION, {
      input: { customerId: customer.id, channel: 'WEB_CHAT', initialMessage: { content: 'I cannot log in' }, severity: 'P2' },
    });
    expect(opened).toMatchObject({ state: 'NEW', messageCount: 1 });
    const id = opened.id as string;

    await gql(
      `mutation ($id: ID!) { sendMessage(conversationId: $id, input: { content: "Let me check that." }) { id direction status } }`,
      { id },
    );
    await gql(
      `mutation ($id: ID!) { sendMessage(conversationId: $id, input: { content: "Password resets are broken", internal: true }) { id } }`,
      { id },
    );
    await gql(`mutation ($id: ID!, $agentId: ID!) { assignConversation(id: $id, input: { agentId: $agentId }) { id } }`, {
      id,
      agentId: agent.userId,
    });
    await gql(
      `mutation ($id: ID!) { escalateConversation(id: $id, input: { reason: "Needs engineering", createResolution: true, priority: P1 }) { state severity } }`,
      { id },
    );
    await gql(`mutation ($id: ID!) { resolveConversation(id: $id, input: { resolutionNotes: "Fixed the reset flow" }) { state } }`, { id });
    const { reopenConversation: reopened } = await gql(
      `mutation ($id: ID!) { reopenConversation(id: $id, input: { reason: "Still broken" }) { state reopenCount severity history { type } } }`,
      { id },
    );
    expect(reopened).toMatchObject({ state: 'AWAITING_AGENT', reopenCount: 1, severity: 'P1' });
    expect(reopened.history.map((entry: { type: string }) => entry.type)).toEqual(
      expect.arrayContaining(['CREATED', 'ASSIGNED', 'ESCALATED', 'RESOLVED', 'REOPENED', 'STATE_CHANGED']),
    );

    const { conversations } = await gql(
      `query { conversations(filter: { state: [AWAITING_AGENT], severity: [P1] }) {
        totalCount nodes { id customer { name } assignedAgent { id displayName } lastMessage { content } messageCount }
      } }`,
    );
    expect(conversations.nodes).toContainEqual(
      expect.objectContaining({
        id,
        customer: { name: 'Grace Customer' },
        assignedAgent: { id: agent.userId, displayName: agentName },
        messageCount: 4,
      }),
    );
  });

  it('merges a second customer into the first, whose conversations then show under the target', async () => {
    const email = unique('target');
    const { createCustomer: target } = await gql(CREATE_CUSTOMER, { input: { name: 'Target', email } });
    const { createCustomer: source } = await gql(CREATE_CUSTOMER, { input: { name: 'Source', phone: '+44 20 7946 0958' } });
    const { createConversation: conversation } = await gql(CREATE_CONVERSATION, {
      input: { customerId: source.id, channel: 'SMS', initialMessage: { content: 'Hello from my phone' } },
    });
    const MERGE = `mutation ($target: ID!, $source: ID!) { mergeCustomers(input: { targetId: $target, sourceCustomerId: $source }) { merged movedConversations movedIdentities } }`;
    expect((await gql(MERGE, { target: target.id, source: source.id })).mergeCustomers).toEqual({
      merged: true,
      movedConversations: 1,
      movedIdentities: 1,
    });
    expect((await gql(MERGE, { target: target.id, source: source.id })).mergeCustomers).toEqual({
      merged: false,
      movedConversations: 0,
      movedIdentities: 0,
    });
    const { customer } = await gql(
      `query ($id: ID!) { customer(id: $id) { id identityGraph { emails phoneNumbers } conversations { nodes { id } } stats { totalConversations } } }`,
      {
        id: source.id,
      },
    );
    expect(customer).toMatchObject({
      id: target.id,
      identityGraph: { emails: [email], phoneNumbers: ['+442079460958'] },
      stats: { totalConversations: 1 },
    });
    expect(customer.conversations.nodes).toEqual([{ id: conversation.id }]);
    const { conversations } = await gql(`query ($id: ID!) { conversations(filter: { customerId: $id }) { nodes { id customerId } } }`, {
      id: source.id,
    });
    expect(conversations.nodes).toEqual([{ id: conversation.id, customerId: target.id }]);
  });

  it('hides the messages of a deleted ticket along with it', async () => {
    const { createCustomer: customer } = await gql(CREATE_CUSTOMER, { input: { name: 'Gone Gina' } });
    const { createConversation: conversation } = await gql(
      `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id messages { nodes { id } } } }`,
      { input: { customerId: customer.id, channel: 'EMAIL', initialMessage: { content: 'soon deleted' } } },
    );
    const messageId = conversation.messages.nodes[0].id as string;
    expect((await gql(`query ($id: ID!) { message(id: $id) { id } }`, { id: messageId })).message).toEqual({ id: messageId });
    expect((await gql(`mutation ($id: ID!) { deleteTicket(id: $id) }`, { id: conversation.id })).deleteTicket).toBe(true);
    expect(
      await gql(`query ($id: ID!) { message(id: $id) { id } conversation(id: "${conversation.id}") { id } }`, { id: messageId }),
    ).toEqual({ message: null, conversation: null });
  });

  it('refuses bad input with the documented codes and writes nothing', async () => {
    const { createCustomer: customer } = await gql(CREATE_CUSTOMER, { input: { name: 'Careful Carl' } });
    const unknownState = await harness.graphql(
      `mutation ($id: ID!) { updateConversation(id: $id, input: { state: SLEEPING }) { id } }`,
      { id: customer.id },
      agent.headers,
    );
    expect(unknownState.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');

    const phone = await gqlError(CREATE_CUSTOMER, { input: { name: 'Bad Phone', phone: '12' } });
    expect(phone.extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'phone' }] });

    const other = await registerTenant(harness, 'Other Admin');
    const foreign = await gqlError(
      CREATE_CONVERSATION,
      { input: { customerId: customer.id, channel: 'EMAIL', initialMessage: { content: 'hi' } } },
      other,
    );
    expect(foreign.extensions?.code).toBe('NOT_FOUND');

    const { createConversation: conversation } = await gql(CREATE_CONVERSATION, {
      input: { customerId: customer.id, channel: 'EMAIL', initialMessage: { content: 'Attachment coming' } },
    });
    const oversize = Buffer.alloc(10 * 1024 * 1024 + 1, 65).toString('base64');
    const tooBig = await gqlError(
      `mutation ($id: ID!, $file: String!) { sendMessage(conversationId: $id, input: { content: "see file", attachments: [{ filename: "big.txt", base64Content: $file }] }) { id } }`,
      { id: conversation.id, file: oversize },
    );
    expect(tooBig.extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'attachments.0' }] });

    const illegal = await gqlError(`mutation ($id: ID!) { reopenConversation(id: $id) { id } }`, { id: conversation.id });
    expect(illegal.extensions?.code).toBe('CONFLICT');

    const { conversation: after } = await gql(`query ($id: ID!) { conversation(id: $id) { state messageCount reopenCount } }`, {
      id: conversation.id,
    });
    expect(after).toEqual({ state: 'NEW', messageCount: 1, reopenCount: 0 });
  });
});

describe('the support core through REST', () => {
  it('walks the 000 document’s customer and conversation paths', async () => {
    const created = await harness.rest(
      'POST',
      '/v1/customers',
      {
        profile: { name: 'Rest Rita', company: 'Acme' },
        identityGraph: { emails: [unique('rita')], phoneNumbers: ['+14155550100'], socialIds: { facebook: '123456' } },
        slaTier: 'premium',
        tags: ['VIP'],
      },
      agent.headers,
    );
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      profile: { name: 'Rest Rita', company: 'Acme' },
      identityGraph: { socialIds: { facebook: '123456' } },
      slaTier: 'premium',
      tags: ['vip'],
    });
    const customerId = created.body.data.id as string;

    const opened = await harness.rest(
      'POST',
      '/v1/conversations',
      {
        customerId,
        channel: 'web_chat',
        subject: 'Support request',
        initialMessage: { content: 'Hello, I need help', contentType: 'text' },
      },
      agent.headers,
    );
    expect(opened.status).toBe(201);
    expect(opened.body.data).toMatchObject({
      customerId,
      state: 'new',
      currentChannel: 'web_chat',
      customer: { profile: { name: 'Rest Rita' }, slaTier: 'premium' },
    });
    const conversationId = opened.body.data.id as string;

    const reply = await harness.rest(
      'POST',
      `/v1/conversations/${conversationId}/messages`,
      { channel: 'email', content: '<p>Thanks<script>x()</script></p>', contentType: 'html' },
      agent.headers,
    );
    expect(reply.status).toBe(201);
    expect(reply.body.data).toMatchObject({
      conversationId,
      channel: 'email',
      direction: 'outbound',
      senderType: 'agent',
      senderId: agent.userId,
      status: 'queued',
      content: '<p>Thanks</p>',
    });

    expect(
      (
        await harness.rest(
          'POST',
          `/v1/conversations/${conversationId}/assign`,
          { agentId: agent.userId, reason: 'manual_assignment' },
          agent.headers,
        )
      ).body.data.assignedAgent,
    ).toEqual({
      id: agent.userId,
      displayName: agentName,
    });
    expect(
      (
        await harness.rest(
          'POST',
          `/v1/conversations/${conversationId}/escalate`,
          { reason: 'Engineering', createResolution: true, issueType: 'technical', priority: 'P1' },
          agent.headers,
        )
      ).body.data,
    ).toMatchObject({
      state: 'escalated',
      severity: 'P1',
    });
    expect(
      (
        await harness.rest(
          'POST',
          `/v1/conversations/${conversationId}/resolve`,
          { resolutionNotes: 'Done', sendClosureMessage: true },
          agent.headers,
        )
      ).body.data.state,
    ).toBe('resolved');
    expect((await harness.rest('POST', `/v1/conversations/${conversationId}/reopen`, {}, agent.headers)).body.data.state).toBe(
      'awaiting_agent',
    );
    const illegal = await harness.rest('POST', `/v1/conversations/${conversationId}/reopen`, {}, agent.headers);
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe('CONFLICT');

    const detail = await harness.rest('GET', `/v1/conversations/${conversationId}?includeTimeline=true`, undefined, agent.headers);
    expect(detail.body.data.messages.map((message: { direction: string }) => message.direction)).toEqual([
      'inbound',
      'outbound',
      'outbound',
    ]);
    expect(detail.body.data.history.length).toBeGreaterThan(5);

    const list = await harness.rest(
      'GET',
      `/v1/conversations?state=awaiting_agent&severity=P1&customerId=${customerId}&sortBy=last_message_at&sortOrder=desc`,
      undefined,
      agent.headers,
    );
    expect(list.body.data.map((conversation: { id: string }) => conversation.id)).toEqual([conversationId]);
    expect(list.body.pagination).toMatchObject({ page: 1, totalItems: 1, totalPages: 1 });

    const full = await harness.rest('GET', `/v1/customers/${customerId}`, undefined, agent.headers);
    expect(full.body.data.stats).toMatchObject({ totalConversations: 1, openConversations: 1 });
    expect(full.body.data.recentConversations).toHaveLength(1);
    const timeline = await harness.rest('GET', `/v1/customers/${customerId}/timeline?limit=50`, undefined, agent.headers);
    expect(timeline.body.data.length).toBeGreaterThan(3);

    const messageId = reply.body.data.id as string;
    expect((await harness.rest('DELETE', `/v1/messages/${messageId}`, undefined, agent.headers)).body.data).toMatchObject({
      content: null,
      deletedAt: expect.any(String),
    });
    expect((await harness.rest('GET', `/v1/messages/${messageId}`, undefined, agent.headers)).body.data.content).toBeNull();
  });

  it('downloads an attachment with the same credentials', async () => {
    const customer = (await harness.rest('POST', '/v1/customers', { name: 'File Fran' }, agent.headers)).body.data.id;
    const conversation = (
      await harness.rest(
        'POST',
        '/v1/conversations',
        { customerId: customer, channel: 'email', initialMessage: { content: 'file' } },
        agent.headers,
      )
    ).body.data.id;
    const bytes = Buffer.from('hello, attachment');
    const sent = await harness.rest(
      'POST',
      `/v1/conversations/${conversation}/messages`,
      { content: 'attached', attachments: [{ filename: 'note.txt', base64Content: bytes.toString('base64') }] },
      agent.headers,
    );
    const url = sent.body.data.attachments[0].url as string;
    const download = await fetch(`${harness.url}${url}`, { headers: agent.headers });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain('note.txt');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    const stranger = await registerTenant(harness);
    expect((await fetch(`${harness.url}${url}`, { headers: stranger.headers })).status).toBe(404);
  });

  it('serves tickets in the 002 and the 004 shapes on /api/v1/tickets, with a bulk assign of 50', async () => {
    const customerId = (
      await harness.rest('POST', '/api/v1/customers', { name: 'Ticket Tom', email: unique('tom'), phone: '+14155550199' }, agent.headers)
    ).body.data.id as string;

    const sociamatic = await harness.rest(
      'POST',
      '/api/v1/tickets',
      {
        title: 'Printer on fire',
        description: 'It is really on fire',
        priority: 'high',
        customerId,
        assigneeId: agent.userId,
        customFields: { floor: 3 },
      },
      agent.headers,
    );
    expect(sociamatic.status).toBe(201);
    expect(sociamatic.body.data).toMatchObject({
      title: 'Printer on fire',
      description: 'It is really on fire',
      status: 'open',
      priority: 'high',
      customerId,
      assigneeId: agent.userId,
      customFields: { floor: 3 },
    });

    const autocrm = await harness.rest(
      'POST',
      '/api/v1/tickets',
      {
        customerID: customerId,
        issue: 'Cannot export invoices',
        priority: 'urgent',
        source: 'email',
        metadata: { email: { from: 'tom@example.com' } },
        tags: ['billing'],
        customFields: {},
      },
      agent.headers,
    );
    expect(autocrm.status).toBe(201);
    expect(autocrm.body.data).toMatchObject({
      issue: 'Cannot export invoices',
      customerID: customerId,
      priority: 'urgent',
      source: 'email',
      tags: ['billing'],
    });
    const ticketId = autocrm.body.data.id as string;

    const updated = await harness.rest(
      'PUT',
      `/api/v1/tickets/${ticketId}`,
      { status: 'pending', agentID: agent.userId, internalNotes: 'Asked for the export file' },
      agent.headers,
    );
    expect(updated.body.data).toMatchObject({
      status: 'pending',
      agentID: agent.userId,
      internalNotes: [{ content: 'Asked for the export file', visibility: 'internal' }],
    });

    const response = await harness.rest(
      'POST',
      `/api/v1/tickets/${ticketId}/responses`,
      { content: 'Try the CSV export', type: 'ai', metadata: {}, isInternal: false },
      agent.headers,
    );
    expect(response.body.data).toMatchObject({ content: 'Try the CSV export', type: 'ai', isInternal: false });
    const comment = await harness.rest(
      'POST',
      `/api/v1/tickets/${ticketId}/comments`,
      { content: 'Private remark', isPrivate: true },
      agent.headers,
    );
    expect(comment.body.data).toMatchObject({ isPrivate: true });

    const ids: string[] = [];
    for (let index = 0; index < 50; index++) {
      ids.push(
        (await harness.rest('POST', '/api/v1/tickets', { title: `Bulk ${index}`, description: 'bulk', customerId }, agent.headers)).body
          .data.id,
      );
    }
    const stranger = await registerTenant(harness);
    const foreignTicket = (
      await harness.rest(
        'POST',
        '/api/v1/tickets',
        {
          title: 'Theirs',
          description: 'x',
          customerId: (await harness.rest('POST', '/api/v1/customers', { name: 'Theirs' }, stranger.headers)).body.data.id,
        },
        stranger.headers,
      )
    ).body.data.id as string;
    const bulk = await harness.rest(
      'POST',
      '/api/v1/tickets/bulk',
      { ticketIds: [...ids, foreignTicket, 'not-a-ticket'], operation: 'assign', data: { agentID: agent.userId } },
      agent.headers,
    );
    expect(bulk.status).toBe(200);
    expect(bulk.body.data).toMatchObject({ succeeded: 50, failed: 2 });
    expect(bulk.body.data.results.slice(50)).toEqual([
      { ticketId: foreignTicket, success: false, error: { code: 'NOT_FOUND', message: expect.any(String) } },
      { ticketId: 'not-a-ticket', success: false, error: { code: 'NOT_FOUND', message: expect.any(String) } },
    ]);
    const assigned = await harness.rest('GET', `/api/v1/tickets?assigneeId=${agent.userId}&limit=100`, undefined, agent.headers);
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.pagination.totalItems).toBeGreaterThanOrEqual(52);
    expect((await harness.rest('GET', `/api/v1/tickets/${foreignTicket}`, undefined, stranger.headers)).body.data.assigneeId).toBeNull();

    expect((await harness.rest('DELETE', `/api/v1/tickets/${ids[0]}`, undefined, agent.headers)).status).toBe(200);
    expect((await harness.rest('GET', `/api/v1/tickets/${ids[0]}`, undefined, agent.headers)).status).toBe(404);
  });

  it('manages 004 organizations and flat customers', async () => {
    const organization = await harness.rest(
      'POST',
      '/api/v1/organizations',
      { name: 'Acme Corp', industry: 'manufacturing', size: '50-200' },
      agent.headers,
    );
    expect(organization.status).toBe(201);
    const organizationId = organization.body.data.id as string;
    const customer = await harness.rest(
      'POST',
      '/api/v1/customers',
      { name: 'Org Olga', email: unique('olga'), organizationId, tags: ['lead'] },
      agent.headers,
    );
    expect(customer.body.data).toMatchObject({ name: 'Org Olga', organizationId, tags: ['lead'] });
    expect((await harness.rest('GET', `/api/v1/organizations/${organizationId}`, undefined, agent.headers)).body.data.customerCount).toBe(
      1,
    );
    const listed = await harness.rest('GET', `/api/v1/customers?organizationId=${organizationId}`, undefined, agent.headers);
    expect(listed.body.data.map((item: { id: string }) => item.id)).toEqual([customer.body.data.id]);
    expect((await harness.rest('DELETE', `/api/v1/organizations/${organizationId}`, undefined, admin.headers)).status).toBe(200);
    expect(
      (await harness.rest('GET', `/api/v1/customers/${customer.body.data.id}`, undefined, agent.headers)).body.data.organizationId,
    ).toBeNull();
  });
});

describe('statement counts through the gateway', () => {
  it('lists conversations with customer name, agent name and last message in a constant number of SQL statements', async () => {
    const statements: string[] = [];
    const counted = await startTestGateway({ onQuery: (_subgraph, sql) => statements.push(sql) });
    try {
      const owner = await registerTenant(counted);
      const worker = await addUser(counted, owner, 'agent');
      const customerIds: string[] = [];
      for (let index = 0; index < 10; index++) {
        customerIds.push((await counted.rest('POST', '/v1/customers', { name: `Count ${index}` }, worker.headers)).body.data.id);
      }
      for (let index = 0; index < 100; index++) {
        const created = await counted.rest(
          'POST',
          '/v1/conversations',
          { customerId: customerIds[index % 10], channel: 'email', initialMessage: { content: `m${index}` } },
          worker.headers,
        );
        await counted.rest('POST', `/v1/conversations/${created.body.data.id}/assign`, { agentId: worker.userId }, worker.headers);
      }
      const query = `query ($first: Int) { conversations(first: $first) { nodes { id customer { name } assignedAgent { displayName } lastMessage { content } } } }`;
      const countFor = async (first: number) => {
        await counted.graphql(query, { first }, worker.headers);
        statements.length = 0;
        const response = await counted.graphql<{ conversations: { nodes: unknown[] } }>(query, { first }, worker.headers);
        expect(response.body.data?.conversations.nodes).toHaveLength(first);
        return statements.filter((sql) => /\b(select|insert|update|delete)\b/i.test(sql)).length;
      };
      const ten = await countFor(10);
      const hundred = await countFor(100);
      expect(hundred).toBe(ten);
      expect(ten).toBeLessThanOrEqual(8);
    } finally {
      await counted.stop();
    }
  });
});

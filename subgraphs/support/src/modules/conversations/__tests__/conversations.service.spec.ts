import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONVERSATION_FIELDS, identityEvent, useSupportSubgraph, type TestTenant } from './support-harness.js';

const { support, db, data, failure, publish, tenant, member, team, customer, portalCustomer, createConversation, send, eventsOf } =
  useSupportSubgraph();

const GET = `query ($id: ID!) { conversation(id: $id) { ${CONVERSATION_FIELDS}
  customer { id name } lastMessage { id content } assignedAgent { id } assignedTeam { id } resolution { id }
  history { type actorKind actorId actor { id } data createdAt }
  messages { totalCount nodes { id direction senderType senderId content isInternal status channel } } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateConversationInput!) { updateConversation(id: $id, input: $input) { ${CONVERSATION_FIELDS} intent sentiment summary dueAt } }`;
const ASSIGN = `mutation ($id: ID!, $input: AssignConversationInput!) { assignConversation(id: $id, input: $input) { ${CONVERSATION_FIELDS} } }`;
const TRANSFER = `mutation ($id: ID!, $input: AssignConversationInput!) { transferConversation(id: $id, input: $input) { ${CONVERSATION_FIELDS} } }`;
const ESCALATE = `mutation ($id: ID!, $input: EscalateConversationInput!) { escalateConversation(id: $id, input: $input) { ${CONVERSATION_FIELDS} } }`;
const RESOLVE = `mutation ($id: ID!, $input: ResolveConversationInput) { resolveConversation(id: $id, input: $input) { ${CONVERSATION_FIELDS} } }`;
const REOPEN = `mutation ($id: ID!, $input: ReopenConversationInput) { reopenConversation(id: $id, input: $input) { ${CONVERSATION_FIELDS} } }`;

async function get(t: TestTenant, id: string, token = t.agent) {
  return (await data(GET, { id }, token)).conversation as Record<string, any> | null;
}

async function opened(t: TestTenant, fields: Record<string, unknown> = {}) {
  const customerId = await customer(t);
  return createConversation(t, {
    customerId,
    channel: 'WEB_CHAT',
    initialMessage: { content: 'I cannot log into my account' },
    ...fields,
  });
}

/** Rows a failed change must not have added to. */
async function rowCounts(tenantId: string) {
  const count = async (table: string) =>
    Number((await db().withSchema('support').from(table).where({ tenant_id: tenantId }).count({ n: '*' }))[0]!.n);
  return { events: await count('conversation_events'), messages: await count('messages'), outbox: await count('outbox') };
}

describe('conversation lifecycle', () => {
  it('goes from a customer’s first message through reply, note, assignment, escalation and resolution to a reopening, recording each step', async () => {
    const t = await tenant();
    const customerId = await customer(t, 'Ada Customer');
    const created = await createConversation(t, {
      customerId,
      channel: 'WEB_CHAT',
      initialMessage: {
        content: 'Hello, I need help with my invoice from last month, it shows the wrong amount and a late fee I never got',
      },
      tags: ['Billing', ' billing ', 'URGENT'],
    });
    expect(created).toMatchObject({
      customerId,
      state: 'NEW',
      channelsUsed: ['WEB_CHAT'],
      currentChannel: 'WEB_CHAT',
      severity: 'P3',
      subject: 'Hello, I need help with my invoice from last month, it shows the wrong amount an',
      tags: ['billing', 'urgent'],
      messageCount: 1,
      reopenCount: 0,
      firstResponseAt: null,
    });
    expect(created.lastMessageAt).not.toBeNull();
    const id = created.id as string;

    const reply = await send(t.agent, id, { content: 'Sorry about that! Let me check.' });
    expect(reply).toMatchObject({ direction: 'OUTBOUND', senderType: 'AGENT', senderId: t.agentId, status: 'QUEUED', channel: 'WEB_CHAT' });
    const note = await send(t.agent, id, { content: 'Customer is on the legacy plan', internal: true });
    expect(note).toMatchObject({ direction: 'OUTBOUND', isInternal: true, status: 'SENT' });

    let conversation = (await get(t, id))!;
    expect(conversation.state).toBe('AWAITING_CUSTOMER');
    expect(conversation.firstResponseAt).toBe(reply.createdAt);
    expect(conversation.messageCount).toBe(3);
    expect(conversation.lastMessage.id).toBe(reply.id);

    const teamId = await team(t.tenantId);
    const assigned = (await data(ASSIGN, { id, input: { agentId: t.agentId, teamId, reason: 'manual_assignment' } }, t.admin))
      .assignConversation;
    expect(assigned).toMatchObject({ assignedAgentId: t.agentId, assignedTeamId: teamId, state: 'AWAITING_CUSTOMER' });

    const escalated = (
      await data(
        ESCALATE,
        {
          id,
          input: { reason: 'Needs engineering', createResolution: true, issueType: 'technical', priority: 'P1', owningTeam: 'engineering' },
        },
        t.agent,
      )
    ).escalateConversation;
    expect(escalated).toMatchObject({ state: 'ESCALATED', severity: 'P1', escalationReason: 'Needs engineering' });

    const resolved = (await data(RESOLVE, { id, input: { resolutionNotes: 'Refunded the late fee', sendClosureMessage: true } }, t.agent))
      .resolveConversation;
    expect(resolved.state).toBe('RESOLVED');
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.messageCount).toBe(5);

    const reopened = (await data(REOPEN, { id, input: { reason: 'Customer says it is back' } }, t.agent)).reopenConversation;
    expect(reopened).toMatchObject({ state: 'AWAITING_AGENT', reopenCount: 1, resolvedAt: null });

    conversation = (await get(t, id))!;
    expect(conversation.customer).toEqual({ id: customerId, name: 'Ada Customer' });
    expect(conversation.assignedAgent).toEqual({ id: t.agentId });
    expect(conversation.assignedTeam).toEqual({ id: teamId });
    expect(conversation.resolution).toBeNull();
    expect(conversation.history.map((entry: { type: string }) => entry.type)).toEqual([
      'CREATED',
      'STATE_CHANGED',
      'ASSIGNED',
      'STATE_CHANGED',
      'ESCALATED',
      'STATE_CHANGED',
      'RESOLVED',
      'STATE_CHANGED',
      'REOPENED',
    ]);
    const changes = conversation.history
      .filter((entry: { type: string }) => entry.type === 'STATE_CHANGED')
      .map((entry: any) => [entry.data.from, entry.data.to]);
    expect(changes).toEqual([
      ['NEW', 'AWAITING_CUSTOMER'],
      ['AWAITING_CUSTOMER', 'ESCALATED'],
      ['ESCALATED', 'RESOLVED'],
      ['RESOLVED', 'AWAITING_AGENT'],
    ]);
    const assignment = conversation.history.find((entry: { type: string }) => entry.type === 'ASSIGNED');
    expect(assignment).toMatchObject({
      actorKind: 'user',
      actor: { id: expect.any(String) },
      data: { from: { agentId: null, teamId: null }, to: { agentId: t.agentId, teamId }, reason: 'manual_assignment' },
    });
    expect(conversation.history[1]).toMatchObject({ actorKind: 'user', actorId: t.agentId, actor: { id: t.agentId } });

    // The note and the closure message are messages of the conversation.
    const messages = conversation.messages.nodes as Record<string, unknown>[];
    expect(messages.map((message) => [message.direction, message.senderType, message.isInternal, message.status])).toEqual([
      ['INBOUND', 'CUSTOMER', false, 'DELIVERED'],
      ['OUTBOUND', 'AGENT', false, 'QUEUED'],
      ['OUTBOUND', 'AGENT', true, 'SENT'],
      ['OUTBOUND', 'AGENT', true, 'SENT'],
      ['OUTBOUND', 'SYSTEM', false, 'QUEUED'],
    ]);
    expect(messages[0]!.senderId).toBe(customerId);
    expect(messages[3]!.content).toBe('Refunded the late fee');
    expect(messages[4]!.content).toMatch(/resolved/);
    expect(conversation.lastMessage.id).toBe(messages[4]!.id);

    const events = await eventsOf(t.tenantId);
    expect(events.map((event) => event.type)).toEqual([
      'conversation.created',
      'message.created',
      'message.created',
      'conversation.state_changed',
      'message.created',
      'conversation.assigned',
      'conversation.state_changed',
      'conversation.escalated',
      'conversation.state_changed',
      'message.created',
      'message.created',
      'conversation.state_changed',
    ]);
    expect(events[0]!.payload).toEqual({ conversationId: id, customerId, channel: 'web_chat', severity: 'P3', state: 'new' });
    expect(events.find((event) => event.type === 'conversation.escalated')!.payload).toEqual({
      conversationId: id,
      customerId,
      reason: 'Needs engineering',
      createResolution: true,
      issueType: 'technical',
      priority: 'P1',
      owningTeam: 'engineering',
      severity: 'P1',
    });
    expect(events.find((event) => event.type === 'conversation.assigned')!.payload).toMatchObject({ agentId: t.agentId, teamId });
    expect(events[1]!.payload).toEqual({
      messageId: messages[0]!.id,
      conversationId: id,
      customerId,
      direction: 'inbound',
      senderType: 'customer',
      isInternal: false,
      channel: 'web_chat',
    });
    expect(events.at(-1)!.payload).toMatchObject({ from: 'resolved', to: 'awaiting_agent' });
  });
});

describe('createConversation', () => {
  it('lets an agent open an outbound conversation whose first message is queued for the customer', async () => {
    const t = await tenant();
    const created = await opened(t, {
      channel: 'EMAIL',
      subject: '  Your renewal  ',
      initialSenderType: 'AGENT',
      severity: 'P2',
      intent: 'renewal',
    });
    expect(created).toMatchObject({
      state: 'NEW',
      subject: 'Your renewal',
      severity: 'P2',
      currentChannel: 'EMAIL',
      firstResponseAt: null,
    });
    const conversation = (await get(t, created.id))!;
    expect(conversation.messages.nodes).toEqual([
      expect.objectContaining({ direction: 'OUTBOUND', senderType: 'AGENT', senderId: t.agentId, status: 'QUEUED', channel: 'EMAIL' }),
    ]);
    expect(conversation.history.map((entry: { type: string }) => entry.type)).toEqual(['CREATED']);
  });

  it('takes the subject from the text of an HTML first message and sanitises the message', async () => {
    const t = await tenant();
    const created = await opened(t, {
      initialMessage: { content: '<p>Hi <b>team</b>,</p><script>alert(1)</script><p>the app crashes</p>', contentType: 'HTML' },
    });
    expect(created.subject).toBe('Hi team,the app crashes');
    const conversation = (await get(t, created.id))!;
    expect(conversation.messages.nodes[0].content).toBe('<p>Hi <b>team</b>,</p><p>the app crashes</p>');
  });

  it('opens the conversation for the target of a merged customer', async () => {
    const t = await tenant();
    const target = await customer(t, 'Target');
    const merged = await customer(t, 'Merged', { merged_into_id: target, merged_at: new Date() });
    const created = await opened(t, { customerId: merged });
    expect(created.customerId).toBe(target);
  });

  it('refuses unknown customers, other tenants’ customers and bad input without writing anything', async () => {
    const t = await tenant();
    const other = await tenant();
    const foreign = await customer(other);
    const before = await rowCounts(t.tenantId);
    for (const customerId of [randomUUID(), foreign]) {
      const error = await failure(
        `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`,
        { input: { customerId, channel: 'EMAIL', initialMessage: { content: 'hello' } } },
        t.agent,
      );
      expect(error.code).toBe('NOT_FOUND');
    }
    const invalid = await failure(
      `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`,
      { input: { customerId: 'nope', channel: 'EMAIL', initialMessage: { content: '   ' } } },
      t.agent,
    );
    expect(invalid.code).toBe('VALIDATION_ERROR');
    expect(invalid.details!.map((detail) => detail.field).sort()).toEqual(['customerId', 'initialMessage.content']);
    expect(await rowCounts(t.tenantId)).toEqual(before);
    const rows = await db().withSchema('support').from('conversations').where({ tenant_id: t.tenantId });
    expect(rows).toEqual([]);
  });
});

describe('updateConversation', () => {
  it('changes fields, normalises tags and records what changed', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    const updated = (
      await data(
        UPDATE,
        {
          id,
          input: {
            tags: ['Login', 'login', ' 2FA '],
            severity: 'P1',
            intent: 'account_access_issue',
            sentiment: 'NEGATIVE',
            summary: 'Locked out',
            dueAt: '2030-01-01T00:00:00.000Z',
          },
        },
        t.agent,
      )
    ).updateConversation;
    expect(updated).toMatchObject({
      tags: ['login', '2fa'],
      severity: 'P1',
      intent: 'account_access_issue',
      sentiment: 'NEGATIVE',
      summary: 'Locked out',
      dueAt: '2030-01-01T00:00:00.000Z',
      state: 'NEW',
    });
    const cleared = (await data(UPDATE, { id, input: { intent: null, dueAt: null } }, t.agent)).updateConversation;
    expect(cleared).toMatchObject({ intent: null, dueAt: null, severity: 'P1', tags: ['login', '2fa'] });
    const history = (await get(t, id))!.history;
    expect(history.map((entry: { type: string }) => entry.type)).toEqual(['CREATED', 'UPDATED', 'UPDATED']);
    expect(Object.keys(history[1].data.changes).sort()).toEqual(['dueAt', 'intent', 'sentiment', 'severity', 'summary', 'tags']);
    expect(history[1].data.changes.severity).toEqual({ from: 'P3', to: 'P1' });
    expect((await eventsOf(t.tenantId, 'conversation.updated')).map((event) => event.payload.fields)).toEqual([
      ['tags', 'severity', 'intent', 'sentiment', 'summary', 'dueAt'],
      ['intent', 'dueAt'],
    ]);
  });

  it('moves the state through the state machine and records from and to', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    expect((await data(UPDATE, { id, input: { state: 'BOT' } }, t.agent)).updateConversation.state).toBe('BOT');
    expect((await data(UPDATE, { id, input: { state: 'AWAITING_AGENT' } }, t.agent)).updateConversation.state).toBe('AWAITING_AGENT');
    const closed = (await data(UPDATE, { id, input: { state: 'CLOSED' } }, t.agent)).updateConversation;
    expect(closed.state).toBe('CLOSED');
    expect(closed.closedAt).not.toBeNull();
    const history = (await get(t, id))!.history.filter((entry: { type: string }) => entry.type === 'STATE_CHANGED');
    expect(history.map((entry: any) => entry.data)).toEqual([
      { from: 'NEW', to: 'BOT' },
      { from: 'BOT', to: 'AWAITING_AGENT' },
      { from: 'AWAITING_AGENT', to: 'CLOSED' },
    ]);
    expect((await eventsOf(t.tenantId, 'conversation.state_changed')).map((event) => [event.payload.from, event.payload.to])).toEqual([
      ['new', 'bot'],
      ['bot', 'awaiting_agent'],
      ['awaiting_agent', 'closed'],
    ]);
  });
});

describe('illegal transitions', () => {
  it('answer CONFLICT naming both states and write nothing', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    await data(UPDATE, { id, input: { state: 'AWAITING_AGENT' } }, t.agent);
    await eventsOf(t.tenantId);
    const before = await rowCounts(t.tenantId);
    const beforeRow = await db().withSchema('support').from('conversations').where({ id }).first();

    const intoBot = await failure(UPDATE, { id, input: { state: 'BOT', tags: ['would-change'] } }, t.agent);
    expect(intoBot.code).toBe('CONFLICT');
    expect(intoBot.message).toContain('AWAITING_AGENT');
    expect(intoBot.message).toContain('BOT');
    expect((await failure(REOPEN, { id }, t.agent)).code).toBe('CONFLICT');

    await data(RESOLVE, { id }, t.agent);
    await data(UPDATE, { id, input: { state: 'CLOSED' } }, t.agent);
    const closedBefore = await rowCounts(t.tenantId);
    const closedRow = await db().withSchema('support').from('conversations').where({ id }).first();
    for (const [query, variables] of [
      [UPDATE, { id, input: { state: 'AWAITING_AGENT' } }],
      [ESCALATE, { id, input: { reason: 'too late' } }],
      [RESOLVE, { id, input: { resolutionNotes: 'again', sendClosureMessage: true } }],
      [REOPEN, { id }],
      [ASSIGN, { id, input: { agentId: t.agentId } }],
    ] as const) {
      const error = await failure(query, variables, t.agent);
      expect(error.code).toBe('CONFLICT');
    }
    const sendToClosed = await failure(
      `mutation ($id: ID!) { sendMessage(conversationId: $id, input: { content: "hello?" }) { id } }`,
      { id },
      t.agent,
    );
    expect(sendToClosed.code).toBe('CONFLICT');
    expect(await rowCounts(t.tenantId)).toEqual(closedBefore);
    expect(await db().withSchema('support').from('conversations').where({ id }).first()).toEqual(closedRow);
    expect(before.events).toBeLessThan(closedBefore.events);
    expect(beforeRow.state).toBe('awaiting_agent');
  });
});

describe('concurrent changes', () => {
  it('let exactly one of two simultaneous resolutions pass the state check', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    const results = await Promise.all([
      support().run(RESOLVE, { id, input: { resolutionNotes: 'first' } }, t.agent),
      support().run(RESOLVE, { id, input: { resolutionNotes: 'second' } }, t.otherAgent),
    ]);
    const codes = results.map((result) => result.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const conversation = (await get(t, id))!;
    expect(conversation.history.filter((entry: { type: string }) => entry.type === 'RESOLVED')).toHaveLength(1);
    expect(conversation.messageCount).toBe(2);
  });

  it('let at most one of two simultaneous reopenings through, whatever a simultaneous close does', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    await data(RESOLVE, { id }, t.agent);
    const [first, second, close] = await Promise.all([
      support().run(REOPEN, { id }, t.agent),
      support().run(REOPEN, { id }, t.otherAgent),
      support().run(UPDATE, { id, input: { state: 'CLOSED' } }, t.admin),
    ]);
    const reopenings = [first, second].filter((result) => !result.errors).length;
    expect(reopenings).toBeLessThanOrEqual(1);
    // RESOLVED → CLOSED and AWAITING_AGENT → CLOSED are both legal: the close always passes.
    expect(close!.errors).toBeUndefined();
    const conversation = (await get(t, id))!;
    expect(conversation.state).toBe('CLOSED');
    expect(conversation.reopenCount).toBe(reopenings);
    expect(conversation.history.filter((entry: { type: string }) => entry.type === 'REOPENED')).toHaveLength(reopenings);
  });

  it('count every one of many simultaneous messages', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    await Promise.all(Array.from({ length: 6 }, (_, index) => send(index % 2 ? t.agent : t.otherAgent, id, { content: `reply ${index}` })));
    const conversation = (await get(t, id))!;
    expect(conversation.messageCount).toBe(7);
    expect(conversation.messages.totalCount).toBe(7);
  });
});

describe('assignment and transfer', () => {
  it('assigns an agent (moving a NEW conversation to AWAITING_AGENT), transfers to a team, and unassigns with null', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    const assigned = (await data(ASSIGN, { id, input: { agentId: t.agentId } }, t.agent)).assignConversation;
    expect(assigned).toMatchObject({ state: 'AWAITING_AGENT', assignedAgentId: t.agentId, assignedTeamId: null });
    const teamId = await team(t.tenantId);
    const transferred = (await data(TRANSFER, { id, input: { agentId: t.otherAgentId, teamId, reason: 'billing expertise' } }, t.agent))
      .transferConversation;
    expect(transferred).toMatchObject({ state: 'AWAITING_AGENT', assignedAgentId: t.otherAgentId, assignedTeamId: teamId });
    const unassigned = (await data(ASSIGN, { id, input: { agentId: null } }, t.agent)).assignConversation;
    expect(unassigned).toMatchObject({ assignedAgentId: null, assignedTeamId: teamId });
    const history = (await get(t, id))!.history;
    expect(history.map((entry: { type: string }) => entry.type)).toEqual([
      'CREATED',
      'ASSIGNED',
      'STATE_CHANGED',
      'TRANSFERRED',
      'ASSIGNED',
    ]);
    expect(history[3].data).toEqual({
      from: { agentId: t.agentId, teamId: null },
      to: { agentId: t.otherAgentId, teamId },
      reason: 'billing expertise',
    });
    const events = await eventsOf(t.tenantId, 'conversation.assigned');
    expect(events.map((event) => [event.payload.agentId, event.payload.teamId, event.payload.transfer])).toEqual([
      [t.agentId, null, false],
      [t.otherAgentId, teamId, true],
      [null, teamId, false],
    ]);
  });

  it('refuses ids that are not UUIDs and empty input', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    const bad = await failure(ASSIGN, { id, input: { agentId: 'agent-7', teamId: 'x' } }, t.agent);
    expect(bad.code).toBe('VALIDATION_ERROR');
    expect(bad.details!.map((detail) => detail.field).sort()).toEqual(['agentId', 'teamId']);
    expect((await failure(ASSIGN, { id, input: {} }, t.agent)).code).toBe('VALIDATION_ERROR');
  });

  it('assigns and transfers only to active agents and admins and to teams of the tenant, writing nothing otherwise', async () => {
    const t = await tenant();
    const other = await tenant();
    const { id } = await opened(t);
    const admin = await member(t.tenantId, 'admin');
    const leaving = await member(t.tenantId, 'agent');
    const demoted = await member(t.tenantId, 'agent');
    const deletedTeam = await team(t.tenantId);
    await publish(
      identityEvent('user.deactivated', t.tenantId, { userId: leaving, role: 'agent', isActive: false, by: admin }),
      identityEvent('user.role_changed', t.tenantId, { userId: demoted, role: 'customer', isActive: true }),
      identityEvent('team.deleted', t.tenantId, { teamId: deletedTeam }),
    );
    const before = await rowCounts(t.tenantId);
    const refusals: [Record<string, unknown>, string[]][] = [
      [{ agentId: randomUUID() }, ['agentId']],
      [{ agentId: other.agentId }, ['agentId']],
      [{ agentId: leaving }, ['agentId']],
      [{ agentId: demoted }, ['agentId']],
      [{ agentId: t.portalUserId }, ['agentId']],
      [{ teamId: randomUUID() }, ['teamId']],
      [{ teamId: await team(other.tenantId) }, ['teamId']],
      [{ teamId: deletedTeam }, ['teamId']],
      [{ agentId: t.agentId, teamId: deletedTeam }, ['teamId']],
      [{ agentId: leaving, teamId: randomUUID() }, ['agentId', 'teamId']],
    ];
    for (const [input, fields] of refusals) {
      for (const mutation of [ASSIGN, TRANSFER]) {
        const refused = await failure(mutation, { id, input }, t.agent);
        expect(refused, JSON.stringify(input)).toMatchObject({ code: 'VALIDATION_ERROR' });
        expect(refused.details).toEqual(fields.map((field) => ({ field, message: expect.stringMatching(/of this tenant$/) })));
      }
    }
    expect(await rowCounts(t.tenantId)).toEqual(before);
    expect(await get(t, id)).toMatchObject({ state: 'NEW', assignedAgentId: null, assignedTeamId: null });

    const teamId = await team(t.tenantId);
    expect((await data(ASSIGN, { id, input: { agentId: admin, teamId } }, t.agent)).assignConversation).toMatchObject({
      assignedAgentId: admin,
      assignedTeamId: teamId,
    });
    // Un-assigning needs no directory entry; a deactivated agent can still be taken off.
    expect((await data(ASSIGN, { id, input: { agentId: null, teamId: null } }, t.agent)).assignConversation).toMatchObject({
      assignedAgentId: null,
      assignedTeamId: null,
    });
  });

  it('refuses an agent of tenant A in a conversation of tenant B (tenant isolation)', async () => {
    const a = await tenant();
    const b = await tenant();
    const { id } = await opened(b);
    const refused = await failure(ASSIGN, { id, input: { agentId: a.agentId } }, b.admin);
    expect(refused).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'agentId', message: 'is not an active agent of this tenant' }],
    });
    expect(await get(b, id)).toMatchObject({ assignedAgentId: null });
    expect(await eventsOf(b.tenantId, 'conversation.assigned')).toEqual([]);
  });

  it('assigns a user created a moment ago once identity’s event has reached the directory', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    const newcomer = randomUUID();
    // Before the event arrives the user is unknown to support.
    expect((await failure(ASSIGN, { id, input: { agentId: newcomer } }, t.agent)).code).toBe('VALIDATION_ERROR');
    await publish(identityEvent('user.created', t.tenantId, { userId: newcomer, role: 'agent', isActive: true }));
    expect((await data(ASSIGN, { id, input: { agentId: newcomer } }, t.agent)).assignConversation.assignedAgentId).toBe(newcomer);
  });
});

describe('escalation', () => {
  it('raises the severity to the priority but never lowers it', async () => {
    const t = await tenant();
    const urgent = await opened(t, { severity: 'P0' });
    expect(
      (await data(ESCALATE, { id: urgent.id, input: { reason: 'outage', priority: 'P2' } }, t.agent)).escalateConversation.severity,
    ).toBe('P0');
    const routine = await opened(t);
    const escalated = (await data(ESCALATE, { id: routine.id, input: { reason: 'bug' } }, t.agent)).escalateConversation;
    expect(escalated).toMatchObject({ severity: 'P3', state: 'ESCALATED' });
    const [, second] = await eventsOf(t.tenantId, 'conversation.escalated');
    expect(second!.payload).toMatchObject({ createResolution: false, issueType: null, priority: null, owningTeam: null, reason: 'bug' });
  });
});

describe('resolution and reopening', () => {
  it('resolves with a custom closure message and reopens only from RESOLVED', async () => {
    const t = await tenant();
    const { id } = await opened(t);
    const resolved = (
      await data(RESOLVE, { id, input: { sendClosureMessage: true, closureMessageTemplate: 'Glad we could help!' } }, t.agent)
    ).resolveConversation;
    expect(resolved).toMatchObject({ state: 'RESOLVED', messageCount: 2 });
    const conversation = (await get(t, id))!;
    expect(conversation.lastMessage.content).toBe('Glad we could help!');
    expect((await data(REOPEN, { id }, t.agent)).reopenConversation).toMatchObject({
      state: 'AWAITING_AGENT',
      reopenCount: 1,
      resolvedAt: null,
    });
    expect((await failure(REOPEN, { id }, t.agent)).message).toContain('AWAITING_AGENT');
  });
});

describe('customer messages', () => {
  it('wait for an agent again, and reopen a resolved conversation', async () => {
    const t = await tenant();
    const { id } = await opened(t, { customerId: await portalCustomer(t) });
    await send(t.agent, id, { content: 'Could you send a screenshot?' });
    const inbound = await send(t.portal, id, { content: 'Here it is', channel: 'EMAIL' });
    expect(inbound).toMatchObject({
      direction: 'INBOUND',
      senderType: 'CUSTOMER',
      senderId: t.portalUserId,
      isInternal: false,
      channel: 'EMAIL',
    });
    let conversation = (await get(t, id))!;
    expect(conversation).toMatchObject({ state: 'AWAITING_AGENT', channelsUsed: ['WEB_CHAT', 'EMAIL'], currentChannel: 'EMAIL' });
    await data(RESOLVE, { id }, t.agent);
    await send(t.portal, id, { content: 'It happened again' });
    conversation = (await get(t, id))!;
    expect(conversation).toMatchObject({ state: 'AWAITING_AGENT', reopenCount: 1, resolvedAt: null });
    expect(conversation.history.at(-1)).toMatchObject({ type: 'REOPENED', actorKind: 'customer', actorId: t.portalUserId, actor: null });
    const lastContact = await db().withSchema('support').from('customers').where({ id: conversation.customerId }).first();
    expect(new Date(lastContact.last_contact_at).toISOString()).toBe(conversation.lastMessageAt);
  });
});

describe('roles', () => {
  it('let a portal customer send messages but read and change nothing else here', async () => {
    const t = await tenant();
    const { id, customerId } = await opened(t, { customerId: await portalCustomer(t) });
    expect((await failure(GET, { id }, t.portal)).code).toBe('FORBIDDEN');
    expect((await failure(`{ conversations { totalCount } }`, {}, t.portal)).code).toBe('FORBIDDEN');
    expect((await failure(RESOLVE, { id }, t.portal)).code).toBe('FORBIDDEN');
    expect(
      (
        await failure(
          `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }`,
          { input: { customerId, channel: 'EMAIL', initialMessage: { content: 'x' } } },
          t.portal,
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(
      (
        await failure(
          `mutation ($id: ID!) { sendMessage(conversationId: $id, input: { content: "psst", internal: true }) { id } }`,
          { id },
          t.portal,
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(await send(t.portal, id, { content: 'hi' })).toMatchObject({ content: 'hi', direction: 'INBOUND', senderType: 'CUSTOMER' });
    // The message is theirs; the conversation behind it is not readable for them.
    const conversationOfMessage = await failure(
      `mutation ($id: ID!) { sendMessage(conversationId: $id, input: { content: "and?" }) { id conversation { id } } }`,
      { id },
      t.portal,
    );
    expect(conversationOfMessage.code).toBe('FORBIDDEN');
    expect((await failure(`{ conversations { totalCount } }`, {}, null)).code).toBe('UNAUTHORIZED');
  });
});

describe('tenant isolation', () => {
  it('answers null for another tenant’s conversations and NOT_FOUND for changes to them', async () => {
    const t = await tenant();
    const other = await tenant();
    const { id } = await opened(other);
    expect(await get(t, id)).toBeNull();
    expect(await get(t, 'not-a-uuid')).toBeNull();
    for (const [query, variables] of [
      [UPDATE, { id, input: { severity: 'P0' } }],
      [ASSIGN, { id, input: { agentId: t.agentId } }],
      [ESCALATE, { id, input: { reason: 'x' } }],
      [RESOLVE, { id }],
      [REOPEN, { id }],
      [RESOLVE, { id: 'nope' }],
    ] as const) {
      expect((await failure(query, variables, t.agent)).code).toBe('NOT_FOUND');
    }
    expect((await get(other, id))!.state).toBe('NEW');
  });

  it('resolves Conversation references through _entities within the caller’s tenant only', async () => {
    const t = await tenant();
    const other = await tenant();
    const mine = await opened(t);
    const theirs = await opened(other);
    const { _entities } = await data(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Conversation { id subject state customer { id } } } }`,
      {
        representations: [
          { __typename: 'Conversation', id: mine.id },
          { __typename: 'Conversation', id: theirs.id },
          { __typename: 'Conversation', id: 'not-a-uuid' },
        ],
      },
      t.agent,
    );
    expect(_entities).toEqual([{ id: mine.id, subject: mine.subject, state: 'NEW', customer: { id: mine.customerId } }, null, null]);
  });
});

import { randomUUID } from 'node:crypto';
import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useSupportSubgraph, type TestTenant } from '../../conversations/__tests__/support-harness.js';

const harness = useSupportSubgraph();
const { tenant, customer, createConversation, send, support, data, failure, db, eventsOf } = harness;

const SYSTEM_TENANT = '00000000-0000-0000-0000-000000000000';
const CHANNEL = 'id name widgetToken isActive createdAt updatedAt';
const CREATE_CHANNEL = `mutation ($input: CreateChatChannelInput!) { createChatChannel(input: $input) { ${CHANNEL} } }`;
const UPDATE_CHANNEL = `mutation ($id: ID!, $input: UpdateChatChannelInput!) { updateChatChannel(id: $id, input: $input) { ${CHANNEL} } }`;
const DISABLE_CHANNEL = `mutation ($id: ID!) { disableChatChannel(id: $id) { ${CHANNEL} } }`;
const CHANNELS = `{ chatChannels { ${CHANNEL} } }`;
const WIDGET = `query ($token: String!) { _chatWidget(token: $token) { tenantId channelId } }`;
const SESSION = 'id customerId channelId state resumed startedAt';
const START = `mutation ($input: StartChatSessionInput!) { startChatSession(input: $input) { ${SESSION} } }`;
const SEND_CHAT = `mutation ($sessionId: ID!, $text: String!) {
  sendChatMessage(sessionId: $sessionId, text: $text) { id conversationId channel direction senderType senderId content status }
}`;
const HANDOVER = `mutation ($sessionId: ID!) { requestHandover(sessionId: $sessionId) { ${SESSION} } }`;
const TYPING = `mutation ($sessionId: ID!, $isTyping: Boolean!) { setChatTyping(sessionId: $sessionId, isTyping: $isTyping) }`;
const EVENTS = `subscription ($sessionId: ID!) {
  chatSessionEvents(sessionId: $sessionId) {
    __typename
    ... on ChatMessageEvent { sessionId text message { id senderType senderId content } }
    ... on ChatTypingEvent { sessionId agentId isTyping at }
    ... on ChatHandoverEvent { sessionId state at }
  }
}`;
const CONVERSATION = `query ($id: ID!) { conversation(id: $id) { id state currentChannel subject messageCount customerId history { type actorKind actorId data } } }`;

/** A web-chat visitor of `team` acting as customer record `customerId`, signed as the gateway would. */
async function visitor(team: TestTenant, customerId: string): Promise<string> {
  return (
    await support().caller({
      kind: 'visitor',
      tenantId: team.tenantId,
      userId: null,
      apiKeyId: null,
      sessionId: null,
      role: 'customer',
      scopes: ['read', 'write'],
      customerId,
    })
  ).token;
}

/** The gateway's own caller. */
async function system(tenantId = SYSTEM_TENANT): Promise<string> {
  return (await support().caller({ kind: 'system', tenantId, userId: null, sessionId: null, role: 'admin', scopes: [] })).token;
}

async function chatChannel(team: TestTenant, name = 'Website'): Promise<Record<string, any>> {
  return (await data(CREATE_CHANNEL, { input: { name } }, team.admin)).createChatChannel;
}

/** A tenant with a chat channel and one visitor with a started session. */
async function chatting() {
  const team = await tenant();
  const channel = await chatChannel(team);
  const customerId = await customer(team, 'Web visitor');
  const token = await visitor(team, customerId);
  const session = (await data(START, { input: { channelId: channel.id } }, token)).startChatSession;
  return { team, channel, customerId, token, session };
}

async function subscribe(query: string, variables: Record<string, unknown>, token: string) {
  return support().subgraph.subscribe({ query, variables, callerToken: token, requestId: 'test' });
}

async function stream(
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<AsyncIterableIterator<FormattedExecutionResult>> {
  const started = await subscribe(query, variables, token);
  if (!(Symbol.asyncIterator in started)) throw new Error(`subscription refused: ${JSON.stringify(started)}`);
  return started;
}

/** The next event, or null when none arrives within `ms`. */
async function nextWithin<T>(iterator: AsyncIterator<T>, ms = 2000): Promise<T | null> {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), ms));
  return Promise.race([iterator.next().then((result) => (result.done ? null : result.value)), timeout]);
}

describe('chat channels', () => {
  it('lets an admin create, rename and disable a channel with a public wk_ widget token', async () => {
    const team = await tenant();
    const created = await chatChannel(team, '  Help center  ');
    expect(created).toMatchObject({ name: 'Help center', isActive: true, widgetToken: expect.stringMatching(/^wk_[\w-]{32}$/) });
    expect((await chatChannel(team, 'Shop')).widgetToken).not.toBe(created.widgetToken);

    const renamed = (await data(UPDATE_CHANNEL, { id: created.id, input: { name: 'Docs' } }, team.admin)).updateChatChannel;
    expect(renamed).toMatchObject({ id: created.id, name: 'Docs', widgetToken: created.widgetToken, isActive: true });
    expect((await data(DISABLE_CHANNEL, { id: created.id }, team.admin)).disableChatChannel.isActive).toBe(false);
    expect((await data(CHANNELS, {}, team.agent)).chatChannels.map((channel: { name: string }) => channel.name)).toEqual(['Docs', 'Shop']);
    expect((await eventsOf(team.tenantId, 'chat_channel.disabled')).map((event) => event.payload)).toEqual([{ channelId: created.id }]);
  });

  it('keeps channel administration to admins and validates the name', async () => {
    const team = await tenant();
    const channel = await chatChannel(team);
    expect((await failure(CREATE_CHANNEL, { input: { name: 'x' } }, team.agent)).code).toBe('FORBIDDEN');
    expect((await failure(DISABLE_CHANNEL, { id: channel.id }, team.agent)).code).toBe('FORBIDDEN');
    expect(await failure(CREATE_CHANNEL, { input: { name: '   ' } }, team.admin)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'name', message: 'is required' }],
    });
    const someone = await visitor(team, await customer(team));
    expect((await failure(CHANNELS, {}, someone)).code).toBe('FORBIDDEN');
  });

  it('keeps each tenant to its own channels, also through _entities', async () => {
    const team = await tenant();
    const stranger = await tenant();
    const channel = await chatChannel(team);
    expect((await data(CHANNELS, {}, stranger.admin)).chatChannels).toEqual([]);
    expect((await failure(UPDATE_CHANNEL, { id: channel.id, input: { name: 'Mine' } }, stranger.admin)).code).toBe('NOT_FOUND');
    const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ChatChannel { id name } } }`;
    const representations = [{ __typename: 'ChatChannel', id: channel.id }];
    expect((await data(ENTITIES, { representations }, team.agent))._entities).toEqual([{ id: channel.id, name: 'Website' }]);
    expect((await data(ENTITIES, { representations }, stranger.agent))._entities).toEqual([null]);
  });

  it('answers _chatWidget for the gateway’s system caller only, and only while the channel is active', async () => {
    const team = await tenant();
    const channel = await chatChannel(team);
    const grant = { tenantId: team.tenantId, channelId: channel.id };
    expect((await data(WIDGET, { token: channel.widgetToken }, await system()))._chatWidget).toEqual(grant);
    for (const token of [team.admin, team.agent, await visitor(team, await customer(team))]) {
      expect((await data(WIDGET, { token: channel.widgetToken }, token))._chatWidget).toBeNull();
    }
    expect((await data(WIDGET, { token: 'wk_unknown' }, await system()))._chatWidget).toBeNull();
    expect((await data(WIDGET, { token: 'dg_not-a-widget-token' }, await system()))._chatWidget).toBeNull();
    await data(DISABLE_CHANNEL, { id: channel.id }, team.admin);
    expect((await data(WIDGET, { token: channel.widgetToken }, await system()))._chatWidget).toBeNull();
    expect((await failure(WIDGET, { token: channel.widgetToken }, null)).code).toBe('UNAUTHORIZED');
  });
});

describe('chat sessions', () => {
  it('opens a WEB_CHAT conversation without messages for the visitor, and resumes it by its id', async () => {
    const { team, channel, customerId, token, session } = await chatting();
    expect(session).toMatchObject({ customerId, channelId: channel.id, state: 'NEW', resumed: false });
    const conversation = (await data(CONVERSATION, { id: session.id }, team.agent)).conversation;
    expect(conversation).toMatchObject({ state: 'NEW', currentChannel: 'WEB_CHAT', subject: 'Web chat', messageCount: 0, customerId });
    expect(conversation.history).toEqual([
      { type: 'CREATED', actorKind: 'customer', actorId: customerId, data: { channel: 'WEB_CHAT', severity: 'P3' } },
    ]);
    const [row] = await db().withSchema('support').select('metadata').from('conversations').where({ id: session.id });
    expect(row.metadata).toEqual({ chatChannelId: channel.id, source: 'chat_widget' });

    const resumed = (await data(START, { input: { channelId: channel.id, sessionId: session.id } }, token)).startChatSession;
    expect(resumed).toEqual({ ...session, resumed: true });
  });

  it('starts a new session instead of resuming another visitor’s, another channel’s, a resolved or a non-chat conversation', async () => {
    const { team, channel, customerId, token, session } = await chatting();
    const other = await visitor(team, await customer(team));
    const otherSession = (await data(START, { input: { channelId: channel.id, sessionId: session.id } }, other)).startChatSession;
    expect(otherSession.id).not.toBe(session.id);
    expect(otherSession.resumed).toBe(false);

    const secondChannel = await chatChannel(team, 'Shop');
    const elsewhere = (await data(START, { input: { channelId: secondChannel.id, sessionId: session.id } }, token)).startChatSession;
    expect(elsewhere.id).not.toBe(session.id);

    const email = await createConversation(team, { customerId, channel: 'EMAIL', initialMessage: { content: 'by mail' } });
    const notChat = (await data(START, { input: { channelId: channel.id, sessionId: email.id } }, token)).startChatSession;
    expect(notChat.id).not.toBe(email.id);

    await data(`mutation ($id: ID!) { resolveConversation(id: $id) { id } }`, { id: session.id }, team.agent);
    const afterResolve = (await data(START, { input: { channelId: channel.id, sessionId: session.id } }, token)).startChatSession;
    expect(afterResolve).toMatchObject({ resumed: false, state: 'NEW' });
    expect(afterResolve.id).not.toBe(session.id);
    const garbage = (await data(START, { input: { channelId: channel.id, sessionId: 'not-a-session' } }, token)).startChatSession;
    // Nothing to resume by that id: the visitor's empty session of this channel is reused rather than a new one opened.
    expect(garbage).toMatchObject({ id: afterResolve.id, resumed: true });
  });

  it('reuses the visitor’s empty session of the channel when a page reconnects without its session id', async () => {
    const { team, channel, customerId, token, session } = await chatting();
    const again = (await data(START, { input: { channelId: channel.id } }, token)).startChatSession;
    expect(again).toEqual({ ...session, resumed: true });

    await data(SEND_CHAT, { sessionId: session.id, text: 'Hello' }, token);
    const afterMessage = (await data(START, { input: { channelId: channel.id } }, token)).startChatSession;
    expect(afterMessage).toMatchObject({ resumed: false, state: 'NEW' });
    expect(afterMessage.id).not.toBe(session.id);

    const otherVisitor = await visitor(team, await customer(team));
    const theirs = (await data(START, { input: { channelId: channel.id } }, otherVisitor)).startChatSession;
    expect([session.id, afterMessage.id]).not.toContain(theirs.id);
    const secondChannel = await chatChannel(team, 'Shop');
    const elsewhere = (await data(START, { input: { channelId: secondChannel.id } }, token)).startChatSession;
    expect([session.id, afterMessage.id]).not.toContain(elsewhere.id);
    // The first session (now with a message), and one empty session on each channel.
    expect(await db().withSchema('support').select('id').from('conversations').where({ customer_id: customerId })).toHaveLength(3);
  });

  it('refuses sessions on a disabled or unknown channel, and to anyone but a visitor', async () => {
    const { team, channel, token } = await chatting();
    expect((await failure(START, { input: { channelId: randomUUID() } }, token)).code).toBe('NOT_FOUND');
    const stranger = await tenant();
    const strangerChannel = await chatChannel(stranger);
    expect((await failure(START, { input: { channelId: strangerChannel.id } }, token)).code).toBe('NOT_FOUND');
    for (const caller of [team.agent, team.admin, team.portal]) {
      expect((await failure(START, { input: { channelId: channel.id } }, caller)).code).toBe('FORBIDDEN');
    }
    await data(DISABLE_CHANNEL, { id: channel.id }, team.admin);
    expect(await failure(START, { input: { channelId: channel.id } }, token)).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This chat channel is disabled',
    });
  });

  it('writes the visitor’s text INBOUND from their customer record on WEB_CHAT', async () => {
    const { team, customerId, token, session } = await chatting();
    const sent = (await data(SEND_CHAT, { sessionId: session.id, text: 'Hello, I need help' }, token)).sendChatMessage;
    expect(sent).toMatchObject({
      conversationId: session.id,
      channel: 'WEB_CHAT',
      direction: 'INBOUND',
      senderType: 'CUSTOMER',
      senderId: customerId,
      content: 'Hello, I need help',
      status: 'DELIVERED',
    });
    expect((await data(CONVERSATION, { id: session.id }, team.agent)).conversation).toMatchObject({ messageCount: 1, state: 'NEW' });
    expect((await failure(SEND_CHAT, { sessionId: session.id, text: '  ' }, token)).code).toBe('VALIDATION_ERROR');
  });

  it('never lets a visitor post into, hand over, type in or watch another customer’s conversation', async () => {
    const { team, token, session } = await chatting();
    const intruder = await visitor(team, await customer(team, 'Intruder'));
    const agentCase = await createConversation(team, {
      customerId: await customer(team),
      channel: 'WEB_CHAT',
      initialMessage: { content: 'x' },
    });
    for (const target of [session.id, agentCase.id, randomUUID()]) {
      expect((await failure(SEND_CHAT, { sessionId: target, text: 'boo' }, intruder)).code).toBe('NOT_FOUND');
      expect((await failure(HANDOVER, { sessionId: target }, intruder)).code).toBe('NOT_FOUND');
      expect((await failure(TYPING, { sessionId: target, isTyping: true }, intruder)).code).toBe('NOT_FOUND');
      const watching = await subscribe(EVENTS, { sessionId: target }, intruder);
      expect(Symbol.asyncIterator in watching ? 'streaming' : watching.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    // The general sendMessage mutation holds the same line for a visitor.
    const generic = await failure(
      `mutation ($id: ID!) { sendMessage(conversationId: $id, input: { content: "boo" }) { id } }`,
      { id: session.id },
      intruder,
    );
    expect(generic.code).toBe('NOT_FOUND');
    // Agents work through the conversations API, not the visitor operations.
    expect((await failure(SEND_CHAT, { sessionId: session.id, text: 'hi' }, team.agent)).code).toBe('FORBIDDEN');
    expect((await data(CONVERSATION, { id: session.id }, team.agent)).conversation.messageCount).toBe(0);
    // The visitor reaches nothing of another tenant either.
    const stranger = await tenant();
    const strangerCase = await createConversation(stranger, {
      customerId: await customer(stranger),
      channel: 'WEB_CHAT',
      initialMessage: { content: 'x' },
    });
    expect((await failure(SEND_CHAT, { sessionId: strangerCase.id, text: 'boo' }, token)).code).toBe('NOT_FOUND');
    expect((await failure(CONVERSATION, { id: session.id }, token)).code).toBe('FORBIDDEN');
  });

  it('hands the session over to an agent through the state machine and announces each request', async () => {
    const { team, customerId, token, session } = await chatting();
    const handedOver = (await data(HANDOVER, { sessionId: session.id }, token)).requestHandover;
    expect(handedOver).toMatchObject({ id: session.id, state: 'AWAITING_AGENT' });
    const conversation = (await data(CONVERSATION, { id: session.id }, team.agent)).conversation;
    expect(conversation.history.at(-1)).toEqual({
      type: 'STATE_CHANGED',
      actorKind: 'customer',
      actorId: customerId,
      data: { from: 'NEW', to: 'AWAITING_AGENT', reason: 'handover_requested' },
    });
    expect((await data(HANDOVER, { sessionId: session.id }, token)).requestHandover.state).toBe('AWAITING_AGENT');
    const announced = await eventsOf(team.tenantId, 'conversation.handover_requested');
    expect(announced.map((event) => event.payload)).toEqual([
      { conversationId: session.id, customerId, from: 'new', to: 'awaiting_agent', requestedBy: 'customer' },
      { conversationId: session.id, customerId, from: 'awaiting_agent', to: 'awaiting_agent', requestedBy: 'customer' },
    ]);
    await data(
      `mutation ($id: ID!) { closeConversation: updateConversation(id: $id, input: { state: CLOSED }) { id } }`,
      { id: session.id },
      team.agent,
    );
    expect((await failure(HANDOVER, { sessionId: session.id }, token)).code).toBe('CONFLICT');
  });

  it('streams agent messages with plain text, agent typing and handovers to the visitor, and nothing else', async () => {
    const { team, token, session } = await chatting();
    const events = await stream(EVENTS, { sessionId: session.id }, token);
    await data(SEND_CHAT, { sessionId: session.id, text: 'my own words' }, token);
    await data(TYPING, { sessionId: session.id, isTyping: true }, token);
    await send(team.agent, session.id, { content: 'internal only', internal: true });
    await data(`mutation ($id: ID!) { setTyping(conversationId: $id, isTyping: true) }`, { id: session.id }, team.agent);
    const reply = await send(team.agent, session.id, { content: '<p>Hi, I&#39;m <b>Jane</b></p>', contentType: 'HTML' });
    await data(HANDOVER, { sessionId: session.id }, token);
    await support().settle();

    expect(await nextWithin(events)).toEqual({
      data: {
        chatSessionEvents: {
          __typename: 'ChatTypingEvent',
          sessionId: session.id,
          agentId: team.agentId,
          isTyping: true,
          at: expect.any(String),
        },
      },
    });
    expect(await nextWithin(events)).toEqual({
      data: {
        chatSessionEvents: {
          __typename: 'ChatMessageEvent',
          sessionId: session.id,
          text: "Hi, I'm Jane",
          message: { id: reply.id, senderType: 'AGENT', senderId: team.agentId, content: "<p>Hi, I'm <b>Jane</b></p>" },
        },
      },
    });
    expect(await nextWithin(events)).toEqual({
      data: {
        chatSessionEvents: { __typename: 'ChatHandoverEvent', sessionId: session.id, state: 'AWAITING_AGENT', at: expect.any(String) },
      },
    });
    expect(await nextWithin(events, 300)).toBeNull();
    await events.return?.();
  });

  it('publishes the visitor’s typing as the customer’s (userId null) without storing it', async () => {
    const { team, token, session } = await chatting();
    const seen: unknown[] = [];
    const unsubscribe = support().bus.subscribe((event) => {
      if (event.type === 'conversation.typing') seen.push({ tenantId: event.tenantId, payload: event.payload });
    });
    expect((await data(TYPING, { sessionId: session.id, isTyping: true }, token)).setChatTyping).toBe(true);
    await support().bus.drain();
    unsubscribe();
    expect(seen).toEqual([{ tenantId: team.tenantId, payload: { conversationId: session.id, userId: null, isTyping: true } }]);
  });
});

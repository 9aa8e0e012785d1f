import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '@deskgraph/testing';
import { addUser, registerTenant, startTestGateway, type SignedIn, type TestGateway } from './support/test-gateway.js';

let database: TestDatabase;
let harness: TestGateway;
let admin: SignedIn;
let agent: SignedIn;
let agentName: string;
const sockets: WebSocket[] = [];
const clients: Client[] = [];

type Frame = Record<string, any>;

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startTestGateway({}, database);
  admin = await registerTenant(harness, 'Ada Admin');
  agent = await addUser(harness, admin, 'agent');
  agentName = (await harness.rest('GET', '/v1/auth/me', undefined, agent.headers)).body.data.displayName;
});
afterAll(async () => {
  for (const socket of sockets) socket.terminate();
  for (const client of clients) await client.dispose();
  await harness?.stop();
  await database?.drop();
});

const flush = () => Promise.all(harness.gateway.subgraphs.map((subgraph) => subgraph.flushEvents()));

async function gql<T = any>(query: string, variables: Record<string, unknown>, who: SignedIn): Promise<T> {
  const { body } = await harness.graphql<T>(query, variables, who.headers);
  if (body.errors) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}

async function chatChannel(who = admin, name = 'Website'): Promise<{ id: string; widgetToken: string }> {
  return (
    await gql(
      `mutation ($input: CreateChatChannelInput!) { createChatChannel(input: $input) { id widgetToken } }`,
      { input: { name } },
      who,
    )
  ).createChatChannel;
}

/** A chat widget on /ws: every frame it receives, in order, and how it closed. */
function widget(params: Record<string, string>) {
  const url = `${harness.url.replace('http', 'ws')}/ws?${new URLSearchParams(params).toString()}`;
  const socket = new WebSocket(url);
  sockets.push(socket);
  const frames: Frame[] = [];
  let read = 0;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((resolve) => resolve());
  let closed: { code: number; reason: string } | null = null;
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    wake();
  });
  socket.on('close', (code, reason) => {
    closed = { code, reason: reason.toString() };
    wake();
  });
  const until = async (done: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!done() && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, Math.max(0, deadline - Date.now()));
      });
    }
  };
  return {
    socket,
    frames,
    send(frame: unknown) {
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    /** The next frame not read yet, or null after `ms`. */
    async next(ms = 5000): Promise<Frame | null> {
      await until(() => frames.length > read || closed !== null, ms);
      return frames.length > read ? frames[read++]! : null;
    },
    /** Skips frames until one of `type` arrives. */
    async nextOf(type: string, ms = 5000): Promise<Frame | null> {
      const deadline = Date.now() + ms;
      for (;;) {
        const frame = await this.next(Math.max(0, deadline - Date.now()));
        if (!frame || frame.type === type) return frame;
      }
    },
    async closed(ms = 5000): Promise<{ code: number; reason: string } | null> {
      await until(() => closed !== null, ms);
      return closed;
    },
  };
}

/** A visitor connected to /ws, past connection_established. */
async function connectedVisitor(params: Record<string, string>) {
  const client = widget(params);
  const established = await client.next();
  expect(established).toMatchObject({ type: 'connection_established' });
  return { client, sessionId: established!.sessionId as string, established: established! };
}

/** Waits until `check` passes (the socket processes frames asynchronously). */
async function eventually<T>(check: () => Promise<T>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const CONVERSATION = `query ($id: ID!) {
  conversation(id: $id) {
    id state currentChannel subject
    customer { name identities { kind value } }
    messages { nodes { id content direction senderType channel } }
  }
}`;

const REPLY = `mutation ($id: ID!, $content: String!) { sendMessage(conversationId: $id, input: { content: $content }) { id createdAt } }`;

describe('the 001 chat WebSocket on /ws', () => {
  it('connects a visitor, carries their text to the agents and the agent’s GraphQL reply back in the 001 shape', async () => {
    const channel = await chatChannel();
    const { client, sessionId, established } = await connectedVisitor({ token: channel.widgetToken, userId: 'visitor-1' });
    expect(established).toEqual({
      type: 'connection_established',
      connectionId: expect.stringMatching(/^conn-/),
      userId: 'visitor-1',
      sessionId: expect.any(String),
      message: 'Connected to AI Customer Support',
      timestamp: expect.any(String),
    });

    client.send({ type: 'text', text: 'Hello', id: 'msg-1', timestamp: new Date().toISOString() });
    const conversation = await eventually(async () => {
      const found = (await gql(CONVERSATION, { id: sessionId }, agent)).conversation;
      expect(found.messages.nodes).toHaveLength(1);
      return found;
    });
    expect(conversation).toMatchObject({
      id: sessionId,
      state: 'NEW',
      currentChannel: 'WEB_CHAT',
      subject: 'Web chat',
      customer: { name: 'Web visitor', identities: [{ kind: 'DEVICE', value: 'visitor-1' }] },
      messages: { nodes: [{ content: 'Hello', direction: 'INBOUND', senderType: 'CUSTOMER', channel: 'WEB_CHAT' }] },
    });
    const listed = (await gql(`{ conversations(filter: { channel: [WEB_CHAT] }) { nodes { id } } }`, {}, agent)).conversations.nodes.map(
      (node: { id: string }) => node.id,
    );
    expect(listed).toContain(sessionId);

    const reply = (await gql(REPLY, { id: sessionId, content: "Hi, I'm here to help." }, agent)).sendMessage;
    await flush();
    expect(await client.next()).toEqual({
      type: 'message',
      text: "Hi, I'm here to help.",
      messageId: reply.id,
      agentId: agent.userId,
      agentName,
      timestamp: reply.createdAt,
      sender: 'agent',
    });
    expect(agentName).toBe('Test agent');
  });

  it('passes typing indicators both ways', async () => {
    const channel = await chatChannel();
    const { client, sessionId } = await connectedVisitor({ token: channel.widgetToken, userId: `visitor-${randomUUID()}` });
    const agentSocket = createClient({
      url: `${harness.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${agent.accessToken}` },
      retryAttempts: 0,
    });
    clients.push(agentSocket);
    const indicators: unknown[] = [];
    agentSocket.subscribe(
      { query: `subscription ($id: ID!) { conversationTyping(conversationId: $id) { userId isTyping } }`, variables: { id: sessionId } },
      { next: (value) => void indicators.push(value.data), error: () => undefined, complete: () => undefined },
    );
    // The agent's subscription is live once it sees the agent's own indicator.
    const TYPING = `mutation ($id: ID!, $on: Boolean!) { setTyping(conversationId: $id, isTyping: $on) }`;
    await eventually(async () => {
      await gql(TYPING, { id: sessionId, on: false }, agent);
      expect(indicators.length).toBeGreaterThan(0);
    });

    client.send({ type: 'typing', isTyping: true, timestamp: new Date().toISOString() });
    await eventually(async () => expect(indicators).toContainEqual({ conversationTyping: { userId: null, isTyping: true } }));

    await gql(TYPING, { id: sessionId, on: true }, agent);
    expect(await client.nextOf('typing_start')).toEqual({ type: 'typing_start', timestamp: expect.any(String) });
    await gql(TYPING, { id: sessionId, on: false }, agent);
    expect(await client.next()).toEqual({ type: 'typing_stop', timestamp: expect.any(String) });
  });

  it('answers handover_request with handover_initiated and leaves the conversation AWAITING_AGENT', async () => {
    const channel = await chatChannel();
    const { client, sessionId } = await connectedVisitor({ token: channel.widgetToken, userId: `visitor-${randomUUID()}` });
    client.send({ type: 'handover_request', timestamp: new Date().toISOString() });
    await flush();
    expect(await client.nextOf('handover_initiated')).toEqual({
      type: 'handover_initiated',
      message: 'Connecting you with a human agent...',
      timestamp: expect.any(String),
    });
    expect((await gql(`query ($id: ID!) { conversation(id: $id) { state } }`, { id: sessionId }, agent)).conversation.state).toBe(
      'AWAITING_AGENT',
    );
  });

  it('sends AI and system messages with sender "ai" (a closing message)', async () => {
    const channel = await chatChannel();
    const { client, sessionId } = await connectedVisitor({ token: channel.widgetToken, userId: `visitor-${randomUUID()}` });
    await gql(
      `mutation ($id: ID!) { resolveConversation(id: $id, input: { sendClosureMessage: true, closureMessageTemplate: "All done. Bye!", resolutionNotes: "internal" }) { id } }`,
      { id: sessionId },
      agent,
    );
    await flush();
    expect(await client.next()).toEqual({
      type: 'message',
      text: 'All done. Bye!',
      messageId: expect.any(String),
      timestamp: expect.any(String),
      sender: 'ai',
    });
    expect(await client.next(300)).toBeNull();
  });

  it('closes a connection with an unknown, missing or disabled widget token with an error first (4401)', async () => {
    for (const params of [{ token: 'wk_nope', userId: 'v' }, { userId: 'v' }] as Record<string, string>[]) {
      const client = widget(params);
      expect(await client.next()).toEqual({
        type: 'error',
        code: 'authentication_error',
        message: expect.any(String),
        timestamp: expect.any(String),
      });
      expect((await client.closed())?.code).toBe(4401);
    }
    const channel = await chatChannel();
    const { client } = await connectedVisitor({ token: channel.widgetToken, userId: `visitor-${randomUUID()}` });
    await gql(`mutation ($id: ID!) { disableChatChannel(id: $id) { isActive } }`, { id: channel.id }, admin);
    await flush();
    expect(await client.next()).toMatchObject({
      type: 'error',
      code: 'authorization_error',
      message: 'This chat channel has been disabled',
    });
    expect((await client.closed())?.code).toBe(4403);
    const refused = widget({ token: channel.widgetToken, userId: 'late' });
    expect(await refused.next()).toMatchObject({ type: 'error', code: 'authentication_error' });
    expect((await refused.closed())?.code).toBe(4401);
  });

  it('answers invalid frames with an error and keeps the connection open', async () => {
    const channel = await chatChannel();
    const { client, sessionId } = await connectedVisitor({ token: channel.widgetToken, userId: `visitor-${randomUUID()}` });
    client.send('{ not json');
    expect(await client.next()).toMatchObject({ type: 'error', code: 'invalid_request', message: 'The message is not valid JSON' });
    client.send({ type: 'shout', text: 'HEY' });
    expect(await client.next()).toMatchObject({
      type: 'error',
      code: 'invalid_request',
      message: expect.stringContaining('Unknown message type "shout"'),
    });
    client.send({ type: 'text', text: '   ' });
    expect(await client.next()).toMatchObject({
      type: 'error',
      code: 'invalid_request',
      message: 'Invalid text message: text: is required',
    });
    client.send({ type: 'typing', isTyping: 'yes' });
    expect(await client.next()).toMatchObject({ type: 'error', code: 'invalid_request' });
    client.send({ type: 'audio', audio: Buffer.from('RIFF').toString('base64'), format: 'wav' });
    expect(await client.next()).toMatchObject({ type: 'error', code: 'audio_not_supported' });

    client.send({ type: 'text', text: 'still here' });
    await eventually(async () =>
      expect(
        (await gql(CONVERSATION, { id: sessionId }, agent)).conversation.messages.nodes.map((node: { content: string }) => node.content),
      ).toEqual(['still here']),
    );
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('resumes the same conversation when the visitor reconnects with its sessionId', async () => {
    const channel = await chatChannel();
    const userId = `visitor-${randomUUID()}`;
    const first = await connectedVisitor({ token: channel.widgetToken, userId });
    first.client.socket.close();
    const again = await connectedVisitor({ token: channel.widgetToken, userId, sessionId: first.sessionId });
    expect(again.sessionId).toBe(first.sessionId);
    again.client.send({ type: 'text', text: 'I am back' });
    await eventually(async () =>
      expect((await gql(CONVERSATION, { id: first.sessionId }, agent)).conversation.messages.nodes).toHaveLength(1),
    );

    // Another visitor naming that session gets a session of their own.
    const other = await connectedVisitor({ token: channel.widgetToken, userId: `visitor-${randomUUID()}`, sessionId: first.sessionId });
    expect(other.sessionId).not.toBe(first.sessionId);
    // A visitor without a userId gets one to keep.
    const anonymous = await connectedVisitor({ token: channel.widgetToken });
    expect(anonymous.established.userId).toMatch(/^visitor-/);
  });

  it('drops frames over 50 per second with one rate_limit_exceeded error', async () => {
    const channel = await chatChannel();
    const { client } = await connectedVisitor({ token: channel.widgetToken, userId: `visitor-${randomUUID()}` });
    for (let index = 0; index < 60; index += 1) client.send('{ not json');
    const frames: Frame[] = [];
    for (let frame = await client.next(2000); frame; frame = await client.next(500)) frames.push(frame);
    expect(frames.filter((frame) => frame.code === 'rate_limit_exceeded')).toHaveLength(1);
    expect(frames.filter((frame) => frame.code === 'invalid_request')).toHaveLength(50);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes its connections with 1001 when the gateway stops', async () => {
    const second = await startTestGateway({}, database);
    let stopped = false;
    try {
      const tenantAdmin = await registerTenant(second, 'Grace Admin');
      const { data } = (
        await second.graphql<{ createChatChannel: { widgetToken: string } }>(
          `mutation { createChatChannel(input: { name: "Shutdown" }) { widgetToken } }`,
          {},
          tenantAdmin.headers,
        )
      ).body;
      const socket = new WebSocket(`${second.url.replace('http', 'ws')}/ws?token=${data!.createChatChannel.widgetToken}&userId=leaving`);
      sockets.push(socket);
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      await new Promise<void>((resolve) => socket.once('message', () => resolve()));
      expect(second.gateway.chatWidget.connections()).toBe(1);
      await second.stop();
      stopped = true;
      expect(await closed).toBe(1001);
      expect(second.gateway.chatWidget.connections()).toBe(0);
    } finally {
      if (!stopped) await second.stop();
    }
  });
});

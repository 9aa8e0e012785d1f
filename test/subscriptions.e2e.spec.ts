import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signAccessToken, verifyAccessToken } from '@deskgraph/auth';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@deskgraph/testing';
import { addUser, registerTenant, startTestGateway, type SignedIn, type TestGateway } from './support/test-gateway.js';

let database: TestDatabase;
let harness: TestGateway;
let admin: SignedIn;
let agent: SignedIn;
let portal: SignedIn;
const clients: Client[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await startTestGateway({}, database);
  admin = await registerTenant(harness, 'Ada Admin');
  agent = await addUser(harness, admin, 'agent');
  portal = await addUser(harness, admin, 'customer');
});
afterAll(async () => {
  for (const client of clients) await client.dispose();
  await harness?.stop();
  await database?.drop();
});

function wsClient(
  gateway: TestGateway,
  connectionParams: Record<string, unknown>,
  onClose?: (code: number, reason: string) => void,
): Client {
  const client = createClient({
    url: `${gateway.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    // Closes are asserted through `on.closed`; the default would print them.
    onNonLazyError: () => undefined,
    on: { closed: (event) => onClose?.((event as { code: number }).code, (event as { reason: string }).reason) },
  });
  clients.push(client);
  return client;
}

/** Subscribes and collects results; `next(ms)` waits for one. */
function collect<T = Record<string, any>>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const results: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  let read = 0;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        results.push(value as never);
        waiters.splice(0).forEach((wake) => wake());
      },
      error: (error) => {
        results.push({
          errors: Array.isArray(error) ? (error as never) : [{ message: String((error as { reason?: string }).reason ?? error) }],
        });
        waiters.splice(0).forEach((wake) => wake());
      },
      complete: () => {
        ended = true;
        waiters.splice(0).forEach((wake) => wake());
      },
    },
  );
  return {
    results,
    dispose,
    get ended() {
      return ended;
    },
    /** The next result not read yet (waiting up to `ms` for it), or null. */
    async next(ms = 15_000) {
      const deadline = Date.now() + ms;
      while (results.length <= read && !ended && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, Math.max(0, deadline - Date.now()));
        });
      }
      return results.length > read ? results[read++]! : null;
    },
  };
}

const flush = () => Promise.all(harness.gateway.subgraphs.map((subgraph) => subgraph.flushEvents()));

async function openConversation(who: SignedIn, gateway = harness, customerBody: Record<string, unknown> = { name: 'Casey Customer' }) {
  const customer = (await gateway.rest('POST', '/v1/customers', customerBody, who.headers)).body.data.id as string;
  const conversation = (
    await gateway.rest(
      'POST',
      '/v1/conversations',
      { customerId: customer, channel: 'web_chat', initialMessage: { content: 'hi' } },
      who.headers,
    )
  ).body.data.id as string;
  return { customer, conversation };
}

const MESSAGE_ADDED = `subscription ($id: ID) {
  conversationMessageAdded(conversationId: $id) {
    conversationId
    message { id content direction senderType channel createdAt sender { id displayName } conversation { id customer { name } assignedAgent { displayName } } }
  }
}`;

/** Waits until `count` more subscribers are live at the owning subgraph than `before`. */
async function live(gateway: TestGateway, before: number, count = 1): Promise<void> {
  await expect
    .poll(() => gateway.gateway.subscriptions.streams().subscribers, { timeout: 10_000, interval: 20 })
    .toBeGreaterThanOrEqual(before + count);
}

const subscribers = (gateway: TestGateway = harness) => gateway.gateway.subscriptions.streams().subscribers;

describe('subscriptions over graphql-ws on /graphql', () => {
  it('delivers a message with fields of the support and identity subgraphs, for agent and customer messages', async () => {
    // The portal user posts as the customer record that owns their email.
    const { conversation } = await openConversation(agent, harness, { name: 'Casey Customer', identityGraph: { emails: [portal.email] } });
    await harness.rest('POST', `/v1/conversations/${conversation}/assign`, { agentId: agent.userId }, agent.headers);
    await flush();
    const before = subscribers();
    const subscription = collect(wsClient(harness, { authorization: `Bearer ${agent.accessToken}` }), MESSAGE_ADDED, { id: conversation });
    await live(harness, before);

    const posted = await harness.rest(
      'POST',
      `/v1/conversations/${conversation}/messages`,
      { content: 'My screen is blank' },
      portal.headers,
    );
    expect(posted.status).toBe(201);
    await flush();
    const fromCustomer = await subscription.next();
    const agentName = (await harness.rest('GET', '/v1/auth/me', undefined, agent.headers)).body.data.displayName;
    expect(fromCustomer).toEqual({
      data: {
        conversationMessageAdded: {
          conversationId: conversation,
          message: {
            id: posted.body.data.id,
            content: 'My screen is blank',
            direction: 'INBOUND',
            senderType: 'CUSTOMER',
            channel: 'WEB_CHAT',
            createdAt: expect.any(String),
            sender: null,
            conversation: { id: conversation, customer: { name: 'Casey Customer' }, assignedAgent: { displayName: agentName } },
          },
        },
      },
    });

    await harness.rest('POST', `/v1/conversations/${conversation}/messages`, { content: 'Try a restart' }, agent.headers);
    await flush();
    expect((await subscription.next())?.data?.conversationMessageAdded.message).toMatchObject({
      senderType: 'AGENT',
      sender: { id: agent.userId, displayName: agentName },
    });
    subscription.dispose();
  });

  it('never sends a tenant’s events to another tenant, even when it names their conversation', async () => {
    const stranger = await registerTenant(harness, 'Sly Stranger');
    const { conversation } = await openConversation(agent);
    await flush();
    const before = subscribers();
    const client = wsClient(harness, { authorization: `Bearer ${stranger.accessToken}` });
    const guessing = collect(client, MESSAGE_ADDED, { id: conversation });
    const everything = collect(client, MESSAGE_ADDED, {});
    await live(harness, before, 2);
    await harness.rest('POST', `/v1/conversations/${conversation}/messages`, { content: 'private' }, agent.headers);
    await flush();
    expect(await guessing.next(700)).toBeNull();
    expect(await everything.next(200)).toBeNull();
  });

  it('shares one upstream stream among identical subscriptions of the same caller', async () => {
    const { conversation } = await openConversation(agent);
    await flush();
    const before = harness.gateway.subscriptions.streams();
    const first = collect(wsClient(harness, { authorization: `Bearer ${agent.accessToken}` }), MESSAGE_ADDED, { id: conversation });
    const second = collect(wsClient(harness, { authorization: `Bearer ${agent.accessToken}` }), MESSAGE_ADDED, { id: conversation });
    await live(harness, before.subscribers, 2);
    expect(harness.gateway.subscriptions.streams().groups).toBe(before.groups + 1);
    await harness.rest('POST', `/v1/conversations/${conversation}/messages`, { content: 'both of you' }, agent.headers);
    await flush();
    const [a, b] = await Promise.all([first.next(), second.next()]);
    expect(a).toEqual(b);
    expect(a?.data?.conversationMessageAdded.message.content).toBe('both of you');
  });

  it('answers an invalid document with VALIDATION_ERROR on every socket that sends it, and queries with a pointer to HTTP', async () => {
    const invalid = 'subscription { conversationMessageAdded { noSuchField } }';
    for (let socket = 0; socket < 2; socket++) {
      const refused = collect(wsClient(harness, { authorization: `Bearer ${agent.accessToken}` }), invalid);
      const result = await refused.next();
      expect(result?.errors?.[0]?.message).toMatch(/noSuchField/);
      expect(result?.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
    }
    const query = collect(wsClient(harness, { authorization: `Bearer ${agent.accessToken}` }), '{ me { id } }');
    expect((await query.next())?.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/HTTP POST/),
      extensions: { code: 'VALIDATION_ERROR' },
    });
  });

  it('refuses connections without valid credentials with 4401', async () => {
    const codes: number[] = [];
    const anonymous = collect(
      wsClient(harness, {}, (code) => codes.push(code)),
      MESSAGE_ADDED,
    );
    const forged = collect(
      wsClient(harness, { authorization: 'Bearer forged.token.here' }, (code) => codes.push(code)),
      MESSAGE_ADDED,
    );
    await anonymous.next(2000);
    await forged.next(2000);
    expect(codes).toEqual([4401, 4401]);
  });

  it('ends the live subscriptions of a session when it logs out', async () => {
    const leaving = await addUser(harness, admin, 'agent');
    const codes: number[] = [];
    const before = subscribers();
    const subscription = collect(
      wsClient(harness, { authorization: `Bearer ${leaving.accessToken}` }, (code) => codes.push(code)),
      MESSAGE_ADDED,
    );
    await live(harness, before);
    await harness.rest('POST', '/v1/auth/logout', {}, leaving.headers);
    await flush();
    await expect.poll(() => codes, { timeout: 5000 }).toEqual([4403]);
    expect(subscription.results.at(-1)?.errors?.[0]).toBeDefined();
  });

  it('closes the socket with 4401 when the access token expires', async () => {
    const claims = await verifyAccessToken(harness.options.jwtSecret, agent.accessToken);
    const shortLived = await signAccessToken(harness.options.jwtSecret, claims, 2);
    const codes: number[] = [];
    const before = subscribers();
    collect(
      wsClient(harness, { authorization: `Bearer ${shortLived}` }, (code) => codes.push(code)),
      MESSAGE_ADDED,
    );
    await live(harness, before);
    await expect.poll(() => codes, { timeout: 6000 }).toEqual([4401]);
  });

  it('answers a subscription sent over HTTP POST with 400', async () => {
    const response = await harness.graphql(MESSAGE_ADDED, {}, agent.headers);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/graphql-ws/);
  });

  it('delivers across gateway instances that share Redis', async () => {
    const redis = { redisUrl: testEnvironment.redisUrl };
    const first = await startTestGateway(redis, database);
    const second = await startTestGateway(
      { ...redis, redisPrefix: first.options.redisPrefix, jwtSecret: first.options.jwtSecret },
      database,
    );
    try {
      const owner = await registerTenant(first, 'Multi Instance');
      const { conversation } = await openConversation(owner, first);
      await Promise.all(first.gateway.subgraphs.map((subgraph) => subgraph.flushEvents()));
      const subscription = collect(wsClient(second, { authorization: `Bearer ${owner.accessToken}` }), MESSAGE_ADDED, { id: conversation });
      await live(second, 0);
      await first.rest('POST', `/v1/conversations/${conversation}/messages`, { content: 'from the other instance' }, owner.headers);
      await Promise.all(first.gateway.subgraphs.map((subgraph) => subgraph.flushEvents()));
      expect((await subscription.next(8000))?.data?.conversationMessageAdded.message.content).toBe('from the other instance');

      // A graceful shutdown completes live subscriptions, then closes the sockets as "going away".
      const codes: number[] = [];
      const before = subscribers(second);
      const closing = collect(
        wsClient(second, { authorization: `Bearer ${owner.accessToken}` }, (code) => codes.push(code)),
        MESSAGE_ADDED,
      );
      await live(second, before);
      await second.stop();
      await expect.poll(() => closing.ended || codes.includes(1001), { timeout: 5000 }).toBe(true);
    } finally {
      await second.stop().catch(() => undefined);
      await first.stop();
    }
  });
});

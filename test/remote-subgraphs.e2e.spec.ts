import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CallerAssertions } from '@deskgraph/auth';
import { RedisEventBus } from '@deskgraph/events';
import { subgraphFactories } from '@deskgraph/gateway';
import { createLogger } from '@deskgraph/runtime';
import { serveSubgraph, subgraphNames, type StandaloneSubgraph, type Subgraph, type SubgraphName } from '@deskgraph/subgraph-kit';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@deskgraph/testing';
import { registerTenant, startTestGateway, testGatewayOptions, type TestGateway } from './support/test-gateway.js';

let database: TestDatabase;
let bus: RedisEventBus;
let harness: TestGateway;
const subgraphs: Subgraph[] = [];
const served = new Map<SubgraphName, StandaloneSubgraph>();

beforeAll(async () => {
  database = await createTestDatabase();
  const options = testGatewayOptions(database.url, { redisUrl: testEnvironment.redisUrl });
  const logger = createLogger({ name: 'remote-subgraphs', level: testEnvironment.logLevel });
  bus = new RedisEventBus({ url: testEnvironment.redisUrl, prefix: options.redisPrefix, logger });
  const assertions = new CallerAssertions(options.internalTokenSecret);
  for (const name of subgraphNames) {
    const subgraph = await subgraphFactories[name]({ databaseUrl: database.url, bus, assertions, logger, poolSize: 2 }, options);
    subgraphs.push(subgraph);
    served.set(name, await serveSubgraph(subgraph, { host: '127.0.0.1', port: 0, logger }));
  }
  const subgraphUrls = Object.fromEntries([...served].map(([name, server]) => [name, server.url]));
  harness = await startTestGateway({ ...options, subgraphUrls }, database);
});

afterAll(async () => {
  await harness?.stop();
  for (const server of served.values()) await server.stop();
  for (const subgraph of subgraphs) await subgraph.stop();
  await bus?.close();
  await database?.drop();
});

describe('subgraphs running remotely', () => {
  it('serve the same API through the gateway over HTTP', async () => {
    expect(harness.gateway.subgraphs).toEqual([]);
    const admin = await registerTenant(harness);
    const me = await harness.graphql(`{ me { email teams { id } } }`, {}, admin.headers);
    expect(me.body).toEqual({ data: { me: { email: admin.email, teams: [] } } });

    // identity's events cross Redis to the analytics subgraph; the tenant is resolved across both.
    await Promise.all(subgraphs.map((subgraph) => subgraph.flushEvents()));
    await expect
      .poll(async () => (await harness.graphql(`{ tenant { id activity { userCount } } }`, {}, admin.headers)).body.data, {
        timeout: 10_000,
      })
      .toEqual({ tenant: { id: admin.tenantId, activity: { userCount: 1 } } });

    const health = await harness.rest('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body.dependencies).toMatchObject({ redis: 'healthy', database: 'healthy', identity: 'healthy', analytics: 'healthy' });
    expect(health.body.subgraphs.analytics.mode).toBe('remote');
  });

  it('refuse requests that do not carry the gateway’s signed caller', async () => {
    const url = served.get('identity')!.url;
    const anonymous = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHORIZED');
    const forged = await new CallerAssertions(randomUUID()).sign({
      kind: 'user',
      tenantId: randomUUID(),
      userId: randomUUID(),
      apiKeyId: null,
      sessionId: null,
      role: 'admin',
      scopes: ['read', 'write', 'admin'],
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-deskgraph-caller': forged },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHORIZED');
  });

  it('stream subscriptions from a remote subgraph, resolving fields of another remote subgraph per event', async () => {
    const admin = await registerTenant(harness);
    const customer = (await harness.rest('POST', '/v1/customers', { name: 'Remote Rita' }, admin.headers)).body.data.id;
    const conversation = (
      await harness.rest(
        'POST',
        '/v1/conversations',
        { customerId: customer, channel: 'email', initialMessage: { content: 'hi' } },
        admin.headers,
      )
    ).body.data.id as string;
    await Promise.all(subgraphs.map((subgraph) => subgraph.flushEvents()));
    const client = createClient({
      url: `${harness.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${admin.accessToken}` },
      retryAttempts: 0,
    });
    try {
      const received = new Promise<unknown>((resolve, reject) => {
        client.subscribe(
          {
            query: `subscription ($id: ID) { conversationMessageAdded(conversationId: $id) { message { content sender { displayName } conversation { customer { name } } } } }`,
            variables: { id: conversation },
          },
          { next: resolve, error: reject, complete: () => reject(new Error('completed early')) },
        );
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await harness.rest('POST', `/v1/conversations/${conversation}/messages`, { content: 'over the wire' }, admin.headers);
      await Promise.all(subgraphs.map((subgraph) => subgraph.flushEvents()));
      expect(await received).toEqual({
        data: {
          conversationMessageAdded: {
            message: {
              content: 'over the wire',
              sender: { displayName: 'Ada Admin' },
              conversation: { customer: { name: 'Remote Rita' } },
            },
          },
        },
      });
    } finally {
      await client.dispose();
    }
  });

  it('report an unreachable subgraph as unhealthy and its fields as SERVICE_UNAVAILABLE', async () => {
    const admin = await registerTenant(harness);
    await served.get('analytics')!.stop();
    const response = await harness.graphql(`{ tenant { id activity { userCount } } }`, {}, admin.headers);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const health = await harness.rest('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', dependencies: { analytics: 'unhealthy', identity: 'healthy' } });
  });
});

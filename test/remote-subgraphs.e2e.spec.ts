import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

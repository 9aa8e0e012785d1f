import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessEventBus } from '@deskgraph/events';
import { startGateway, type GatewayOptions, type RunningGateway } from '@deskgraph/gateway';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@deskgraph/testing';

export interface TestGateway {
  url: string;
  gateway: RunningGateway;
  options: GatewayOptions;
  /** POST /graphql; returns the parsed body and the HTTP response. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{
    status: number;
    headers: Headers;
    body: { data?: T | null; errors?: { message: string; path?: unknown; extensions?: Record<string, unknown> }[] };
  }>;
  /** A REST call; a JSON body when given. */
  rest(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): Promise<void>;
}

/** Generous limits so concurrent tests sharing 127.0.0.1 never trip them; rate-limit tests pass their own. */
export const TEST_RATE_LIMITS: GatewayOptions['rateLimits'] = {
  windowSeconds: 60,
  standard: 100_000,
  search: 100_000,
  ai: 100_000,
  webhook: 100_000,
};

/** The default options of a gateway under test, on a database of its own. */
export function testGatewayOptions(databaseUrl: string, overrides: Partial<GatewayOptions> = {}): GatewayOptions {
  return {
    production: false,
    host: '127.0.0.1',
    port: 0,
    logLevel: testEnvironment.logLevel,
    dataDir: mkdtempSync(join(tmpdir(), 'deskgraph-test-')),
    databaseUrl,
    databasePoolSize: 3,
    embeddedDatabasePort: 0,
    redisUrl: undefined,
    redisPrefix: `deskgraph-test-${randomUUID()}`,
    jwtSecret: randomUUID() + randomUUID(),
    internalTokenSecret: randomUUID() + randomUUID(),
    refreshTokenTtlDays: 30,
    bodyLimit: '1mb',
    trustProxy: false,
    apolloTelemetry: false,
    subgraphUrls: {},
    rateLimits: TEST_RATE_LIMITS,
    graphqlLimits: { maxDepth: 12, maxAliases: 30, maxCost: 5000, maxTokens: 5000 },
    ...overrides,
  };
}

/** A whole gateway with every subgraph in-process, on a fresh database of the real PostgreSQL. */
export async function startTestGateway(overrides: Partial<GatewayOptions> = {}, existing?: TestDatabase): Promise<TestGateway> {
  const database = existing ?? (await createTestDatabase());
  const options = testGatewayOptions(database.url, overrides);
  const gateway = await startGateway(options);
  return {
    url: gateway.url,
    gateway,
    options,
    async graphql(query, variables, headers = {}) {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as never };
    },
    async rest(method, path, body, headers = {}) {
      const response = await fetch(`${gateway.url}${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
    },
    async stop() {
      await gateway.stop();
      if (!existing) await database.drop();
    },
  };
}

/**
 * Publishes the domain events committed so far and waits until every consumer has applied them,
 * so read models fed by events know what was just written: support's directory learns of a user
 * or team created in identity only through `user.created` / `team.created` (milliseconds later).
 * With Redis the consumers run elsewhere: this only publishes, and a test polls for what it needs.
 */
export async function settleEvents(harness: TestGateway): Promise<void> {
  await Promise.all(harness.gateway.subgraphs.map((subgraph) => subgraph.flushEvents()));
  if (harness.gateway.bus instanceof InProcessEventBus) await harness.gateway.bus.drain();
}

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
  userId: string;
  tenantId: string;
  email: string;
  headers: Record<string, string>;
}

/** Registers a new tenant through the 004 REST path and returns its admin's session, once support knows the admin. */
export async function registerTenant(harness: TestGateway, name = 'Ada Admin'): Promise<SignedIn> {
  const email = uniqueEmail('admin');
  const response = await harness.rest('POST', '/api/v1/auth/register', { email, password: 'correct horse battery', name });
  if (response.status !== 201) throw new Error(`registration failed: ${JSON.stringify(response.body)}`);
  await settleEvents(harness);
  const { accessToken, refreshToken, user } = response.body.data;
  return {
    accessToken,
    refreshToken,
    userId: user.id,
    tenantId: user.tenantId,
    email,
    headers: { authorization: `Bearer ${accessToken}` },
  };
}

/** Creates a user with `role` in the admin's tenant and signs them in, once support's directory knows them. */
export async function addUser(harness: TestGateway, admin: SignedIn, role: 'agent' | 'admin' | 'customer'): Promise<SignedIn> {
  const email = uniqueEmail(role);
  const created = await harness.rest(
    'POST',
    '/v1/users',
    { email, password: 'correct horse battery', firstName: 'Test', lastName: role, role },
    admin.headers,
  );
  if (created.status !== 201) throw new Error(`user creation failed: ${JSON.stringify(created.body)}`);
  await settleEvents(harness);
  const login = await harness.rest('POST', '/v1/auth/login', { email, password: 'correct horse battery' });
  const { accessToken, refreshToken, user } = login.body.data;
  return {
    accessToken,
    refreshToken,
    userId: user.id,
    tenantId: admin.tenantId,
    email,
    headers: { authorization: `Bearer ${accessToken}` },
  };
}

/** Creates a team in the admin's tenant (000 REST) and returns its id, once support's directory knows it. */
export async function addTeam(harness: TestGateway, admin: SignedIn, name = `Team ${randomUUID().slice(0, 8)}`): Promise<string> {
  const created = await harness.rest('POST', '/v1/teams', { name }, admin.headers);
  if (created.status !== 201) throw new Error(`team creation failed: ${JSON.stringify(created.body)}`);
  await settleEvents(harness);
  return created.body.data.id as string;
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnvironment, type TestDatabase } from '@deskgraph/testing';
import { registerTenant, startTestGateway, type TestGateway } from './support/test-gateway.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe('rate limits', () => {
  for (const store of ['memory', 'redis'] as const) {
    it(`count per caller with X-RateLimit headers and answer 429 RATE_LIMITED past the limit (${store} store)`, async () => {
      const harness = await startTestGateway(
        {
          redisUrl: store === 'redis' ? testEnvironment.redisUrl : undefined,
          rateLimits: { windowSeconds: 60, standard: 5, search: 5, ai: 5, webhook: 5 },
        },
        database,
      );
      try {
        const admin = await registerTenant(harness);
        const statuses: number[] = [];
        let last: Awaited<ReturnType<TestGateway['rest']>> | null = null;
        for (let attempt = 0; attempt < 6; attempt++) {
          last = await harness.rest('GET', '/v1/auth/me', undefined, admin.headers);
          statuses.push(last.status);
          if (attempt === 0) {
            expect(last.headers.get('x-ratelimit-limit')).toBe('5');
            expect(last.headers.get('x-ratelimit-remaining')).toBe('4');
            expect(Number(last.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
          }
        }
        expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
        expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(last!.body).toMatchObject({ success: false, error: { code: 'RATE_LIMITED' } });

        const graphql = await harness.graphql(`{ me { id } }`, {}, admin.headers);
        expect(graphql.status).toBe(429);
        expect(graphql.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
        expect(graphql.headers.get('x-ratelimit-remaining')).toBe('0');

        // Another caller has a budget of its own.
        const other = await registerTenant(harness);
        expect((await harness.rest('GET', '/v1/auth/me', undefined, other.headers)).status).toBe(200);
      } finally {
        await harness.stop();
      }
    });
  }

  it('share one count between two gateways on the same Redis', async () => {
    const rateLimits = { windowSeconds: 60, standard: 4, search: 4, ai: 4, webhook: 4 };
    const first = await startTestGateway({ redisUrl: testEnvironment.redisUrl, rateLimits }, database);
    const second = await startTestGateway(
      { redisUrl: testEnvironment.redisUrl, redisPrefix: first.options.redisPrefix, jwtSecret: first.options.jwtSecret, rateLimits },
      database,
    );
    try {
      const admin = await registerTenant(first);
      const statuses = [];
      for (const harness of [first, second, first, second, first]) {
        statuses.push((await harness.rest('GET', '/v1/auth/me', undefined, admin.headers)).status);
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});

describe('GraphQL limits', () => {
  let harness: TestGateway;
  let headers: Record<string, string>;
  beforeAll(async () => {
    harness = await startTestGateway({ graphqlLimits: { maxDepth: 6, maxAliases: 3, maxCost: 300, maxTokens: 400 } }, database);
    headers = (await registerTenant(harness)).headers;
  });
  afterAll(async () => harness?.stop());

  it('refuses a query nested deeper than the limit', async () => {
    const response = await harness.graphql(`{ me { teams { members { teams { members { teams { id } } } } } } }`, {}, headers);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]).toMatchObject({
      message: 'Query depth 7 exceeds the limit of 6',
      extensions: { code: 'VALIDATION_ERROR' },
    });
  });

  it('refuses more aliases than the limit', async () => {
    const response = await harness.graphql(`{ a: me { id } b: me { id } c: me { id } d: me { id } }`, {}, headers);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toBe('The document has 4 aliases; the limit is 3');
  });

  it('refuses an operation whose estimated cost exceeds the limit, counting page sizes from variables', async () => {
    const query = `query ($n: Int) { users(first: $n) { nodes { id teams { id name } } } }`;
    const small = await harness.graphql(query, { n: 2 }, headers);
    expect(small.body.errors).toBeUndefined();
    const large = await harness.graphql(query, { n: 100 }, headers);
    expect(large.status).toBe(400);
    expect(large.body.errors?.[0]?.message).toMatch(/^Query cost \d+ exceeds the limit of 300/);
  });

  it('refuses documents with too many tokens', async () => {
    const fields = Array.from({ length: 500 }, () => 'id').join(' ');
    const response = await harness.graphql(`{ me { ${fields} } }`, {}, headers);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
    expect(response.body.errors?.[0]?.message).toMatch(/tokens/);
  });

  it('refuses a body larger than the limit with 413', async () => {
    const response = await harness.rest('POST', '/v1/auth/login', { email: 'x@example.com', password: 'x'.repeat(1_100_000) });
    expect(response.status).toBe(413);
    expect(response.body.error).toMatchObject({ code: 'VALIDATION_ERROR', message: 'Request body too large' });
  });
});

describe('production mode', () => {
  it('hides introspection and field suggestions', async () => {
    const harness = await startTestGateway({ production: true }, database);
    try {
      const introspection = await harness.graphql(`{ __schema { types { name } } }`);
      expect(introspection.status).toBe(400);
      expect(introspection.body.errors?.[0]?.message).toMatch(/introspection/i);
      const typo = await harness.graphql(`{ mee { id } }`);
      expect(typo.body.errors?.[0]?.message).not.toMatch(/Did you mean/);
      expect(typo.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
      const ide = await fetch(`${harness.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(ide.status).toBe(200);
    } finally {
      await harness.stop();
    }
  });

  it('shows suggestions during development', async () => {
    const harness = await startTestGateway({}, database);
    try {
      const typo = await harness.graphql(`{ mee { id } }`);
      expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "me"/);
    } finally {
      await harness.stop();
    }
  });
});

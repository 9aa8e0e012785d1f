import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, startTestGateway, type TestGateway } from './support/test-gateway.js';

let harness: TestGateway;
beforeAll(async () => {
  harness = await startTestGateway();
});
afterAll(async () => harness?.stop());

describe('operations endpoints', () => {
  it('reports every dependency on /health in the 001 shape', async () => {
    const response = await harness.rest('GET', '/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      status: 'healthy',
      version: expect.any(String),
      dependencies: {
        database: 'healthy',
        redis: 'not_configured',
        identity: 'healthy',
        support: 'healthy',
        resolutions: 'healthy',
        campaigns: 'healthy',
        knowledge: 'healthy',
        analytics: 'healthy',
      },
    });
    expect(response.body.subgraphs.identity).toMatchObject({ mode: 'in-process', status: 'healthy' });
  });

  it('serves Prometheus metrics including request counts', async () => {
    await harness.rest('GET', '/health');
    const response = await fetch(`${harness.url}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('serves the GraphQL IDE to browsers from local assets only', async () => {
    const page = await fetch(`${harness.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('graphiql.min.js');
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source.startsWith('/graphql/ide/')).toBe(true);
      const asset = await fetch(`${harness.url}${source}`);
      expect(asset.status, source).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, source).toBeGreaterThan(100);
    }
  });

  it('echoes a sane client request id and makes one up otherwise', async () => {
    const given = await fetch(`${harness.url}/v1/auth/me`, { headers: { 'x-request-id': 'client-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('client-abc-123');
    expect(((await given.json()) as { meta: { requestId: string } }).meta.requestId).toBe('client-abc-123');
    const invented = await fetch(`${harness.url}/v1/auth/me`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(invented.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a cross-subgraph query: identity’s tenant with analytics’ activity', async () => {
    const admin = await registerTenant(harness);
    await Promise.all(harness.gateway.subgraphs.map((subgraph) => subgraph.flushEvents()));
    await expect
      .poll(async () => {
        const response = await harness.graphql<{ tenant: { id: string; activity: { userCount: number } } }>(
          `{ tenant { id name activity { userCount teamCount } } }`,
          {},
          admin.headers,
        );
        return response.body.data?.tenant;
      })
      .toMatchObject({ id: admin.tenantId, activity: { userCount: 1, teamCount: 0 } });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerTenant, startTestGateway, uniqueEmail, type SignedIn, type TestGateway } from './support/test-gateway.js';

let harness: TestGateway;
let admin: SignedIn;

beforeAll(async () => {
  harness = await startTestGateway();
  admin = await registerTenant(harness);
});
afterAll(async () => harness?.stop());

const CREATE = /* GraphQL */ `
  mutation ($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
      apiKey {
        id
        prefix
        scopes
        isActive
        createdBy {
          id
        }
      }
    }
  }
`;

async function createKey(scopes: string[]) {
  const response = await harness.graphql<{ createApiKey: { key: string; apiKey: { id: string; prefix: string; scopes: string[] } } }>(
    CREATE,
    { input: { name: 'integration', scopes } },
    admin.headers,
  );
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.createApiKey;
}

describe('API keys', () => {
  it('are shown once, stored by prefix, and authenticate X-API-Key requests in their tenant', async () => {
    const created = await createKey(['READ']);
    expect(created.key.startsWith(created.apiKey.prefix)).toBe(true);
    const listed = await harness.graphql<{ apiKeys: { id: string; prefix: string }[] }>(`{ apiKeys { id prefix } }`, {}, admin.headers);
    expect(JSON.stringify(listed.body)).not.toContain(created.key);
    const users = await harness.rest('GET', '/v1/users', undefined, { 'x-api-key': created.key });
    expect(users.status).toBe(200);
    expect(users.body.data.map((user: { id: string }) => user.id)).toContain(admin.userId);
  });

  it('are limited to their scopes: a READ key cannot create users', async () => {
    const readOnly = await createKey(['READ']);
    const refused = await harness.rest(
      'POST',
      '/v1/users',
      { email: uniqueEmail(), password: 'correct horse battery', firstName: 'Key', lastName: 'Holder' },
      { 'x-api-key': readOnly.key },
    );
    expect(refused.status).toBe(403);
    const adminKey = await createKey(['READ', 'WRITE', 'ADMIN']);
    const allowed = await harness.rest(
      'POST',
      '/v1/users',
      { email: uniqueEmail(), password: 'correct horse battery', firstName: 'Key', lastName: 'Holder' },
      { 'x-api-key': adminKey.key },
    );
    expect(allowed.status).toBe(201);
  });

  it('stop working as soon as they are revoked', async () => {
    const created = await createKey(['READ']);
    expect((await harness.rest('GET', '/v1/users', undefined, { 'x-api-key': created.key })).status).toBe(200);
    const revoke = await harness.graphql(
      `mutation ($id: ID!) { revokeApiKey(id: $id) { isActive revokedAt } }`,
      { id: created.apiKey.id },
      admin.headers,
    );
    expect(revoke.body.data).toEqual({ revokeApiKey: { isActive: false, revokedAt: expect.any(String) } });
    await harness.gateway.subgraphs.find((subgraph) => subgraph.name === 'identity')!.flushEvents();
    await expect.poll(async () => (await harness.rest('GET', '/v1/users', undefined, { 'x-api-key': created.key })).status).toBe(401);
  });

  it('answers 401 for an unknown key', async () => {
    const response = await harness.rest('GET', '/v1/users', undefined, { 'x-api-key': 'dg_not-a-real-key' });
    expect(response.status).toBe(401);
    expect(response.body.error).toMatchObject({ code: 'UNAUTHORIZED', message: 'Invalid API key' });
  });

  it('cannot be used to call the gateway-only key check', async () => {
    const response = await harness.graphql(`{ _verifyApiKey(key: "dg_x") { tenantId } }`, {}, admin.headers);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
  });
});

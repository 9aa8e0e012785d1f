import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useIdentitySubgraph, type SignedIn } from '../../users/__tests__/identity-harness.js';

const { data, failure, registerTenant, addUser, identity, eventsOf } = useIdentitySubgraph();

const KEY = 'id name prefix scopes createdBy { id } createdAt lastUsedAt expiresAt revokedAt isActive';
const CREATE = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ${KEY} } } }`;
const LIST = `{ apiKeys { ${KEY} } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) { ${KEY} } }`;
const VERIFY = `query ($key: String!) { _verifyApiKey(key: $key) { apiKeyId tenantId role scopes } }`;

async function createKey(admin: SignedIn, input: Record<string, unknown>): Promise<{ key: string; apiKey: any }> {
  return (await data(CREATE, { input }, admin.token)).createApiKey;
}

/** The gateway's own caller, which alone may look keys up. */
async function systemToken(): Promise<string> {
  return (await identity().caller({ kind: 'system', userId: null, sessionId: null, role: 'admin' })).token;
}

async function verify(key: string, token: string | null) {
  return identity().run(VERIFY, { key }, token);
}

describe('ApiKey entity references', () => {
  it('resolves keys of the caller’s tenant through _entities and null for another tenant’s', async () => {
    const alpha = await registerTenant();
    const beta = await registerTenant();
    const own = await createKey(alpha, { name: 'Own', scopes: ['READ'] });
    const foreign = await createKey(beta, { name: 'Foreign', scopes: ['READ'] });
    const { _entities } = await data(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ApiKey { id name } } }`,
      {
        representations: [
          { __typename: 'ApiKey', id: own.apiKey.id },
          { __typename: 'ApiKey', id: foreign.apiKey.id },
        ],
      },
      alpha.token,
    );
    expect(_entities).toEqual([{ id: own.apiKey.id, name: 'Own' }, null]);
  });

  it('resolves nothing for a caller who does not administer the tenant', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const key = await createKey(admin, { name: 'Hidden', scopes: ['READ'] });
    const { _entities } = await data(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on ApiKey { id } } }`,
      { representations: [{ __typename: 'ApiKey', id: key.apiKey.id }] },
      agent.token,
    );
    expect(_entities).toEqual([null]);
  });
});

describe('api keys', () => {
  it('creates a key whose secret is shown once, with a recognisable prefix and unique scopes, and announces it', async () => {
    const admin = await registerTenant();
    const { key, apiKey } = await createKey(admin, { name: '  Billing sync ', scopes: ['READ', 'WRITE', 'READ'] });
    expect(key).toMatch(/^dg_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      name: 'Billing sync',
      prefix: key.slice(0, 12),
      scopes: ['READ', 'WRITE'],
      createdBy: { id: admin.userId },
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
      isActive: true,
    });
    expect(JSON.stringify((await data(LIST, {}, admin.token)).apiKeys)).not.toContain(key);
    expect((await eventsOf(admin.tenantId, 'api_key.created')).map((event) => event.aggregateId)).toEqual([apiKey.id]);
  });

  it('lists the tenant’s keys newest first, and no other tenant’s', async () => {
    const admin = await registerTenant();
    const stranger = await registerTenant();
    const older = await createKey(admin, { name: 'Older', scopes: ['READ'] });
    const newer = await createKey(admin, { name: 'Newer', scopes: ['ADMIN'] });
    await createKey(stranger, { name: 'Theirs', scopes: ['READ'] });
    const { apiKeys } = await data(LIST, {}, admin.token);
    expect(apiKeys.map((apiKey: { id: string }) => apiKey.id)).toEqual([newer.apiKey.id, older.apiKey.id]);
  });

  it('reports invalid input at once: empty name, no scopes, expiry in the past', async () => {
    const admin = await registerTenant();
    const result = await failure(CREATE, { input: { name: ' ', scopes: [], expiresAt: '2020-01-01T00:00:00Z' } }, admin.token);
    expect(result.code).toBe('VALIDATION_ERROR');
    expect(result.details).toEqual(
      expect.arrayContaining([
        { field: 'name', message: 'is required' },
        { field: 'scopes', message: 'needs at least one scope' },
        { field: 'expiresAt', message: 'must be in the future' },
      ]),
    );
  });

  it('lets only admins create, list and revoke keys', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const { apiKey } = await createKey(admin, { name: 'Guarded', scopes: ['READ'] });
    expect(await failure(CREATE, { input: { name: 'Mine', scopes: ['ADMIN'] } }, agent.token)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(LIST, {}, agent.token)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(REVOKE, { id: apiKey.id }, agent.token)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('revokes a key once; revoking again changes nothing', async () => {
    const admin = await registerTenant();
    const { apiKey } = await createKey(admin, { name: 'Short-lived', scopes: ['READ'] });
    const { revokeApiKey } = await data(REVOKE, { id: apiKey.id }, admin.token);
    expect(revokeApiKey).toMatchObject({ id: apiKey.id, isActive: false, revokedAt: expect.any(String) });
    const again = (await data(REVOKE, { id: apiKey.id }, admin.token)).revokeApiKey;
    expect(again.revokedAt).toBe(revokeApiKey.revokedAt);
    expect((await eventsOf(admin.tenantId, 'api_key.revoked')).map((event) => event.aggregateId)).toEqual([apiKey.id]);
  });

  it('answers NOT_FOUND when revoking another tenant’s key, which keeps working', async () => {
    const admin = await registerTenant();
    const stranger = await registerTenant();
    const theirs = await createKey(stranger, { name: 'Theirs', scopes: ['READ'] });
    expect(await failure(REVOKE, { id: theirs.apiKey.id }, admin.token)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(REVOKE, { id: 'not-a-uuid' }, admin.token)).toMatchObject({ code: 'NOT_FOUND' });
    expect((await verify(theirs.key, await systemToken())).data).toMatchObject({ _verifyApiKey: { apiKeyId: theirs.apiKey.id } });
  });
});

describe('_verifyApiKey', () => {
  it('gives the system caller the grant of a valid key: its tenant, scopes and the role they imply', async () => {
    const admin = await registerTenant();
    const system = await systemToken();
    const reader = await createKey(admin, { name: 'Reader', scopes: ['READ'] });
    const administrator = await createKey(admin, { name: 'Administrator', scopes: ['READ', 'ADMIN'] });
    expect((await verify(reader.key, system)).data).toEqual({
      _verifyApiKey: { apiKeyId: reader.apiKey.id, tenantId: admin.tenantId, role: 'AGENT', scopes: ['READ'] },
    });
    expect((await verify(administrator.key, system)).data).toEqual({
      _verifyApiKey: { apiKeyId: administrator.apiKey.id, tenantId: admin.tenantId, role: 'ADMIN', scopes: ['READ', 'ADMIN'] },
    });
  });

  it('records when a key was last used', async () => {
    const admin = await registerTenant();
    const { key, apiKey } = await createKey(admin, { name: 'Used', scopes: ['READ'] });
    const before = Date.now();
    await verify(key, await systemToken());
    const { apiKeys } = await data(LIST, {}, admin.token);
    const lastUsedAt = Date.parse(apiKeys.find((listed: { id: string }) => listed.id === apiKey.id).lastUsedAt);
    expect(lastUsedAt).toBeGreaterThanOrEqual(before - 1000);
  });

  it('answers null to any caller but the system, even the key’s own admin', async () => {
    const admin = await registerTenant();
    const { key } = await createKey(admin, { name: 'Secret', scopes: ['READ'] });
    expect((await verify(key, admin.token)).data).toEqual({ _verifyApiKey: null });
    const { token: apiKeyCaller } = await identity().caller({
      kind: 'apiKey',
      tenantId: admin.tenantId,
      userId: null,
      apiKeyId: randomUUID(),
      sessionId: null,
    });
    expect((await verify(key, apiKeyCaller)).data).toEqual({ _verifyApiKey: null });
    expect((await verify(key, null)).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  it('answers null for unknown, malformed and revoked keys', async () => {
    const admin = await registerTenant();
    const system = await systemToken();
    const { key, apiKey } = await createKey(admin, { name: 'Doomed', scopes: ['READ'] });
    expect((await verify(`${key.slice(0, -1)}x`, system)).data).toEqual({ _verifyApiKey: null });
    expect((await verify(key.slice(3), system)).data).toEqual({ _verifyApiKey: null });
    expect((await verify(`dg_${'a'.repeat(200)}`, system)).data).toEqual({ _verifyApiKey: null });
    await data(REVOKE, { id: apiKey.id }, admin.token);
    expect((await verify(key, system)).data).toEqual({ _verifyApiKey: null });
  });

  it('answers null once a key has expired', async () => {
    const admin = await registerTenant();
    const system = await systemToken();
    const expiresAt = new Date(Date.now() + 1200).toISOString();
    const { key, apiKey } = await createKey(admin, { name: 'Expiring', scopes: ['READ'], expiresAt });
    expect(apiKey.expiresAt).toBe(expiresAt);
    expect((await verify(key, system)).data).toMatchObject({ _verifyApiKey: { apiKeyId: apiKey.id } });
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    expect((await verify(key, system)).data).toEqual({ _verifyApiKey: null });
    const listed = (await data(LIST, {}, admin.token)).apiKeys.find((candidate: { id: string }) => candidate.id === apiKey.id);
    expect(listed.isActive).toBe(false);
  });
});

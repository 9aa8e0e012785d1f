import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { createIdentitySubgraph } from '../../../server.js';

const config = { jwtSecret: 'test-secret-that-is-long-enough-000', refreshTokenTtlDays: 30 };
let identity: TestSubgraph<Awaited<ReturnType<typeof createIdentitySubgraph>>>;

beforeAll(async () => {
  identity = await startTestSubgraph((dependencies) => createIdentitySubgraph(dependencies, config));
});
afterAll(async () => identity?.stop());

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterInput!) {
    register(input: $input) {
      accessToken
      refreshToken
      expiresIn
      tokenType
      user {
        id
        email
        role
        tenant {
          id
          name
        }
      }
    }
  }
`;
const REFRESH = /* GraphQL */ `
  mutation ($token: String!) {
    refreshToken(input: { refreshToken: $token }) {
      accessToken
      refreshToken
    }
  }
`;

function uniqueEmail(): string {
  return `user-${Math.random().toString(36).slice(2)}@example.com`;
}

describe('auth', () => {
  it('registers a new tenant whose first user is its admin, and announces both', async () => {
    const email = uniqueEmail();
    const result = await identity.run(REGISTER, {
      input: { email, password: 'correct horse', name: 'Ada Lovelace', tenantName: 'Analytical Engines' },
    });
    expect(result.errors).toBeUndefined();
    const payload = (
      result.data as {
        register: { expiresIn: number; tokenType: string; user: { email: string; role: string; tenant: { id: string; name: string } } };
      }
    ).register;
    expect(payload).toMatchObject({
      expiresIn: 3600,
      tokenType: 'Bearer',
      user: { email, role: 'ADMIN', tenant: { name: 'Analytical Engines' } },
    });
    await identity.settle();
    const types = identity.events.filter((event) => event.tenantId === payload.user.tenant.id).map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['tenant.created', 'user.created']));
  });

  it('refuses a second registration with the same email in any case', async () => {
    const email = uniqueEmail();
    await identity.run(REGISTER, { input: { email, password: 'correct horse', name: 'First' } });
    const again = await identity.run(REGISTER, { input: { email: email.toUpperCase(), password: 'correct horse', name: 'Second' } });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('reports every invalid field of a registration at once', async () => {
    const result = await identity.run(REGISTER, { input: { email: 'not-an-email', password: 'short' } });
    expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION_ERROR');
    const fields = (result.errors?.[0]?.extensions?.details as { field: string }[]).map((detail) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('logs in with the right password only, with the same answer for unknown emails', async () => {
    const email = uniqueEmail();
    await identity.run(REGISTER, { input: { email, password: 'correct horse', name: 'Grace Hopper' } });
    const LOGIN = `mutation ($email: String!, $password: String!) { login(input: { email: $email, password: $password }) { accessToken user { email } } }`;
    const ok = await identity.run(LOGIN, { email: email.toUpperCase(), password: 'correct horse' });
    expect(ok.errors).toBeUndefined();
    const wrong = await identity.run(LOGIN, { email, password: 'wrong horse' });
    const unknown = await identity.run(LOGIN, { email: uniqueEmail(), password: 'correct horse' });
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Invalid email or password', extensions: { code: 'UNAUTHORIZED' } });
    expect(unknown.errors?.[0]).toMatchObject({ message: 'Invalid email or password', extensions: { code: 'UNAUTHORIZED' } });
  });

  it('rotates refresh tokens, and a reused one revokes the whole session', async () => {
    const registered = await identity.run(REGISTER, { input: { email: uniqueEmail(), password: 'correct horse', name: 'Alan Turing' } });
    const first = (registered.data as { register: { refreshToken: string } }).register.refreshToken;

    const rotated = await identity.run(REFRESH, { token: first });
    expect(rotated.errors).toBeUndefined();
    const second = (rotated.data as { refreshToken: { refreshToken: string } }).refreshToken.refreshToken;
    expect(second).not.toBe(first);

    const reuse = await identity.run(REFRESH, { token: first });
    expect(reuse.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect(reuse.errors?.[0]?.message).toMatch(/reuse/);

    const afterRevocation = await identity.run(REFRESH, { token: second });
    expect(afterRevocation.errors?.[0]).toMatchObject({ message: 'Refresh token revoked', extensions: { code: 'UNAUTHORIZED' } });

    await identity.settle();
    expect(identity.events.some((event) => event.type === 'session.revoked' && event.payload.reason === 'refresh_token_reused')).toBe(true);
  });
});

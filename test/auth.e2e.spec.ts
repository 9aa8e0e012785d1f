import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerTenant, settleEvents, startTestGateway, uniqueEmail, type TestGateway } from './support/test-gateway.js';

let harness: TestGateway;
beforeAll(async () => {
  harness = await startTestGateway();
});
afterAll(async () => harness?.stop());

const ME = /* GraphQL */ `
  query {
    me {
      id
      email
      displayName
      role
      tenant {
        id
        name
      }
    }
  }
`;

describe('authentication through the gateway', () => {
  it('registers a tenant and its admin through the 004 REST path', async () => {
    const email = uniqueEmail('founder');
    const response = await harness.rest('POST', '/api/v1/auth/register', { email, password: 'correct horse battery', name: 'Fay Founder' });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      success: true,
      data: { expiresIn: 3600, user: { email, name: 'Fay Founder', role: 'admin' } },
      meta: { requestId: expect.any(String), timestamp: expect.any(String) },
    });
    expect(response.body.data.accessToken).toMatch(/^eyJ/);
    expect(response.body.data.refreshToken).toEqual(expect.any(String));
  });

  it('logs in through the 000 path with the documented envelope, and the token works for GraphQL `me`', async () => {
    const admin = await registerTenant(harness, 'Lin Login');
    const login = await harness.rest('POST', '/v1/auth/login', { email: admin.email, password: 'correct horse battery' });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      success: true,
      data: {
        accessToken: expect.any(String),
        refreshToken: expect.any(String),
        expiresIn: 3600,
        user: { id: admin.userId, email: admin.email, firstName: 'Lin', lastName: 'Login', role: 'admin', teamId: null },
      },
      meta: { requestId: login.headers.get('x-request-id') },
    });
    const me = await harness.graphql(ME, {}, { authorization: `Bearer ${login.body.data.accessToken}` });
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data).toEqual({
      me: {
        id: admin.userId,
        email: admin.email,
        displayName: 'Lin Login',
        role: 'ADMIN',
        tenant: { id: admin.tenantId, name: 'example.com' },
      },
    });
  });

  it('answers a wrong password with 401 UNAUTHORIZED in each document’s shape', async () => {
    const admin = await registerTenant(harness);
    const crm = await harness.rest('POST', '/v1/auth/login', { email: admin.email, password: 'wrong' });
    expect(crm.status).toBe(401);
    expect(crm.body).toMatchObject({ success: false, error: { code: 'UNAUTHORIZED', message: 'Invalid email or password' } });
    const dialer = await harness.rest('POST', '/api/auth/login', { email: admin.email, password: 'wrong' });
    expect(dialer.status).toBe(401);
    expect(dialer.body).toMatchObject({ success: false, error: 'Invalid email or password', code: 'UNAUTHORIZED' });
  });

  it('refuses GraphQL with an invalid bearer token with HTTP 401', async () => {
    const response = await harness.graphql(ME, {}, { authorization: 'Bearer not-a-token' });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  it('rotates refresh tokens and revokes the session when an old one is replayed', async () => {
    const admin = await registerTenant(harness);
    const first = await harness.rest('POST', '/v1/auth/refresh', { refreshToken: admin.refreshToken });
    expect(first.status).toBe(200);
    const replay = await harness.rest('POST', '/v1/auth/refresh', { refreshToken: admin.refreshToken });
    expect(replay.status).toBe(401);
    expect(replay.body.error.message).toMatch(/reuse/);
    const successor = await harness.rest('POST', '/api/v1/auth/refresh-token', { refreshToken: first.body.data.refreshToken });
    expect(successor.status).toBe(401);
  });

  it('ends the session on logout: the access token stops working at once', async () => {
    const admin = await registerTenant(harness);
    expect((await harness.rest('GET', '/v1/auth/me', undefined, admin.headers)).status).toBe(200);
    const logout = await harness.rest('POST', '/v1/auth/logout', {}, admin.headers);
    expect(logout.status).toBe(200);
    await harness.gateway.subgraphs.find((subgraph) => subgraph.name === 'identity')!.flushEvents();
    await expect.poll(async () => (await harness.rest('GET', '/v1/auth/me', undefined, admin.headers)).status).toBe(401);
    const refresh = await harness.rest('POST', '/v1/auth/refresh', { refreshToken: admin.refreshToken });
    expect(refresh.status).toBe(401);
  });

  it('refuses a deactivated user’s tokens at once, and lets them sign in again once reactivated', async () => {
    const admin = await registerTenant(harness);
    const agent = await addUser(harness, admin, 'agent');
    expect((await harness.rest('GET', '/v1/auth/me', undefined, agent.headers)).status).toBe(200);
    expect((await harness.rest('DELETE', `/v1/users/${agent.userId}`, undefined, admin.headers)).status).toBe(200);
    await settleEvents(harness);
    expect((await harness.rest('GET', '/v1/auth/me', undefined, agent.headers)).status).toBe(401);

    expect((await harness.rest('PATCH', `/v1/users/${agent.userId}`, { isActive: true }, admin.headers)).status).toBe(200);
    // Tokens carry their issue time in whole seconds: one issued in the second of the deactivation counts as older.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const login = await harness.rest('POST', '/v1/auth/login', { email: agent.email, password: 'correct horse battery' });
    expect(login.status).toBe(200);
    const again = { authorization: `Bearer ${login.body.data.accessToken}` };
    expect((await harness.rest('GET', '/v1/auth/me', undefined, again)).status).toBe(200);
    // The token from before the deactivation stays refused.
    expect((await harness.rest('GET', '/v1/auth/me', undefined, agent.headers)).status).toBe(401);
  });

  it('registers through the 003 path in snake_case', async () => {
    const email = uniqueEmail('dialer');
    const response = await harness.rest('POST', '/api/auth/register', {
      email,
      password: 'correct horse battery',
      first_name: 'Dee',
      last_name: 'Aler',
      phone: '+14155551234',
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      success: true,
      message: 'User registered successfully',
      token: expect.any(String),
      user: { email, role: 'admin', first_name: 'Dee', last_name: 'Aler', tenant_id: expect.any(String) },
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerTenant, startTestGateway, uniqueEmail, type SignedIn, type TestGateway } from './support/test-gateway.js';

let harness: TestGateway;
let alpha: SignedIn;
let beta: SignedIn;

beforeAll(async () => {
  harness = await startTestGateway();
  [alpha, beta] = await Promise.all([registerTenant(harness, 'Alpha Admin'), registerTenant(harness, 'Beta Admin')]);
});
afterAll(async () => harness?.stop());

describe('tenant isolation', () => {
  it('answers NOT_FOUND for a user of another tenant fetched by id, over REST and GraphQL', async () => {
    const rest = await harness.rest('GET', `/v1/users/${beta.userId}`, undefined, alpha.headers);
    expect(rest.status).toBe(404);
    expect(rest.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });

    const graphql = await harness.graphql(`query ($id: ID!) { user(id: $id) { id email } }`, { id: beta.userId }, alpha.headers);
    expect(graphql.body).toEqual({ data: { user: null } });

    const own = await harness.rest('GET', `/v1/users/${beta.userId}`, undefined, beta.headers);
    expect(own.status).toBe(200);
    expect(own.body.data.email).toBe(beta.email);
  });

  it('does not resolve another tenant’s entity references', async () => {
    const team = await harness.rest('POST', '/v1/teams', { name: 'Billing', skills: ['billing'], memberIds: [beta.userId] }, beta.headers);
    expect(team.status).toBe(201);
    const foreignTeam = await harness.rest('GET', `/v1/teams/${team.body.data.id}`, undefined, alpha.headers);
    expect(foreignTeam.status).toBe(404);
    const members = await harness.rest('GET', `/v1/teams/${team.body.data.id}/members`, undefined, alpha.headers);
    expect(members.status).toBe(404);
    const update = await harness.rest('PATCH', `/v1/teams/${team.body.data.id}`, { name: 'Hijacked' }, alpha.headers);
    expect(update.status).toBe(404);
  });

  it('lists only the caller’s own tenant', async () => {
    const list = await harness.rest('GET', '/v1/users?pageSize=100', undefined, alpha.headers);
    expect(list.status).toBe(200);
    const emails = list.body.data.map((user: { email: string }) => user.email);
    expect(emails).toContain(alpha.email);
    expect(emails).not.toContain(beta.email);
  });

  it('refuses to add a user of another tenant to a team', async () => {
    const response = await harness.rest('POST', '/v1/teams', { name: 'Mixed', memberIds: [beta.userId] }, alpha.headers);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'memberIds', message: expect.stringContaining(beta.userId) }],
    });
  });
});

describe('roles', () => {
  it('refuses an agent creating a user with FORBIDDEN', async () => {
    const agent = await addUser(harness, alpha, 'agent');
    const rest = await harness.rest(
      'POST',
      '/v1/users',
      { email: uniqueEmail(), password: 'correct horse battery', firstName: 'No', lastName: 'Way' },
      agent.headers,
    );
    expect(rest.status).toBe(403);
    expect(rest.body.error.code).toBe('FORBIDDEN');
    const graphql = await harness.graphql(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { email: uniqueEmail(), password: 'correct horse battery', firstName: 'No', lastName: 'Way' } },
      agent.headers,
    );
    expect(graphql.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets an agent read colleagues but not a customer', async () => {
    const agent = await addUser(harness, alpha, 'agent');
    const customer = await addUser(harness, alpha, 'customer');
    expect((await harness.rest('GET', '/v1/users', undefined, agent.headers)).status).toBe(200);
    expect((await harness.rest('GET', '/v1/users', undefined, customer.headers)).status).toBe(403);
    expect((await harness.rest('GET', '/v1/auth/me', undefined, customer.headers)).body.data.role).toBe('customer');
  });

  it('lets users change their own name but not their role', async () => {
    const agent = await addUser(harness, alpha, 'agent');
    const rename = await harness.rest('PATCH', `/v1/users/${agent.userId}`, { firstName: 'Renamed' }, agent.headers);
    expect(rename.status).toBe(200);
    expect(rename.body.data.firstName).toBe('Renamed');
    const promote = await harness.rest('PATCH', `/v1/users/${agent.userId}`, { role: 'admin' }, agent.headers);
    expect(promote.status).toBe(403);
  });

  it('keeps at least one active admin in a tenant', async () => {
    const tenant = await registerTenant(harness);
    const response = await harness.rest('DELETE', `/v1/users/${tenant.userId}`, undefined, tenant.headers);
    expect(response.status).toBe(409);
    expect(response.body.error.code).toBe('CONFLICT');
  });

  it('joins an existing tenant only through one of its admins', async () => {
    const anonymous = await harness.rest('POST', '/api/auth/register', {
      email: uniqueEmail(),
      password: 'correct horse battery',
      first_name: 'Eve',
      tenant_id: alpha.tenantId,
    });
    expect(anonymous.status).toBe(401);
    const foreignAdmin = await harness.rest(
      'POST',
      '/api/auth/register',
      { email: uniqueEmail(), password: 'correct horse battery', first_name: 'Eve', tenant_id: alpha.tenantId },
      beta.headers,
    );
    expect(foreignAdmin.status).toBe(404);
    const ownAdmin = await harness.rest(
      'POST',
      '/api/auth/register',
      { email: uniqueEmail(), password: 'correct horse battery', first_name: 'Ann', role: 'agent', tenant_id: alpha.tenantId },
      alpha.headers,
    );
    expect(ownAdmin.status).toBe(201);
    expect(ownAdmin.body.user).toMatchObject({ role: 'agent', tenant_id: alpha.tenantId });
  });
});

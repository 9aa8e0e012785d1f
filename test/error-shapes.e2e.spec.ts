import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, registerTenant, startTestGateway, type SignedIn, type TestGateway } from './support/test-gateway.js';

let harness: TestGateway;
let admin: SignedIn;
beforeAll(async () => {
  harness = await startTestGateway();
  admin = await registerTenant(harness);
});
afterAll(async () => harness?.stop());

describe('error shapes', () => {
  it('answers a malformed JSON body with 400 VALIDATION_ERROR in the path’s document shape', async () => {
    const crm = await harness.rest('POST', '/v1/auth/login', '{"email": ', {});
    expect(crm.status).toBe(400);
    expect(crm.body).toMatchObject({
      success: false,
      error: { code: 'VALIDATION_ERROR', message: 'Malformed JSON body' },
      meta: { requestId: expect.any(String) },
    });
    const aiPlatform = await harness.rest('POST', '/api/admin/users', '{oops', admin.headers);
    expect(aiPlatform.status).toBe(400);
    expect(aiPlatform.body).toEqual({ error: { code: 'invalid_request', message: 'Malformed JSON body' }, requestId: expect.any(String) });
  });

  it('answers unknown paths with 404 NOT_FOUND', async () => {
    const crm = await harness.rest('GET', '/v1/nothing-here', undefined, admin.headers);
    expect(crm.status).toBe(404);
    expect(crm.body.error.code).toBe('NOT_FOUND');
    const aiPlatform = await harness.rest('GET', '/api/admin/nothing', undefined, admin.headers);
    expect(aiPlatform.body.error.code).toBe('resource_not_found');
  });

  it('uses the 001 document’s lower-case codes and request id on its paths', async () => {
    const anonymous = await harness.rest('GET', '/api/admin/users');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({
      error: { code: 'authentication_error', message: 'Invalid or missing authentication' },
      requestId: anonymous.headers.get('x-request-id'),
    });
    const agent = await addUser(harness, admin, 'agent');
    const forbidden = await harness.rest(
      'POST',
      '/api/admin/users',
      { email: 'x@example.com', password: 'correct horse', firstName: 'X' },
      agent.headers,
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('authorization_error');
  });

  it('names every invalid field of a REST body, in REST field names', async () => {
    const response = await harness.rest(
      'POST',
      '/v1/users',
      { email: 'not-an-email', password: 'short', firstName: 'Val', phone: '12' },
      admin.headers,
    );
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['email', 'password', 'phone']);
  });

  it('reports a wrongly typed field before running anything', async () => {
    const response = await harness.rest(
      'POST',
      '/v1/users',
      { email: 'typed@example.com', password: 'correct horse', firstName: 42 },
      admin.headers,
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'firstName', message: expect.stringMatching(/String cannot represent/) }],
    });
    const graphql = await harness.graphql(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { email: 'x@example.com' } },
      admin.headers,
    );
    expect(graphql.status).toBe(400);
    expect(graphql.body.errors?.[0]?.extensions).toEqual({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'input.password', message: 'is required' }],
    });
  });

  it('answers bad query parameters with the parameter named', async () => {
    const response = await harness.rest('GET', '/v1/users?pageSize=1000', undefined, admin.headers);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ field: 'pageSize', message: 'must be an integer between 1 and 100' }]);
  });

  it('paginates the 000 user list with the documented pagination block', async () => {
    await addUser(harness, admin, 'agent');
    await addUser(harness, admin, 'agent');
    const first = await harness.rest('GET', '/v1/users?page=1&pageSize=2', undefined, admin.headers);
    expect(first.body.pagination).toMatchObject({ page: 1, pageSize: 2, hasPreviousPage: false });
    expect(first.body.data).toHaveLength(2);
    const total = first.body.pagination.totalItems as number;
    const last = await harness.rest('GET', `/v1/users?page=${Math.ceil(total / 2)}&pageSize=2`, undefined, admin.headers);
    expect(last.body.pagination).toMatchObject({ hasNextPage: false, hasPreviousPage: true, totalPages: Math.ceil(total / 2) });
    const admins = await harness.rest('GET', '/api/admin/users?role=admin&limit=5', undefined, admin.headers);
    expect(admins.body).toMatchObject({
      users: [{ id: admin.userId, role: 'admin', organizationId: admin.tenantId }],
      pagination: { total: 1, page: 1, limit: 5, pages: 1 },
    });
  });
});

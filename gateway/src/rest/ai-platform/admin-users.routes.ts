import { NotFoundError } from '@deskgraph/errors';
import { USER_FIELDS, lower, pick, upper, type ConnectionData, type UserData } from '../identity-shapes.js';
import { integerParam, stringParam } from '../query-params.js';
import { route, type RestRequest } from '../route.js';

/** The 001 document's admin user management under `/api/admin` (the organization is the tenant). */

function presentAdminUser(user: UserData) {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    role: lower(user.role),
    organizationId: user.tenant.id,
    isActive: user.isActive,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
  };
}

function paging(request: RestRequest) {
  const page = integerParam(request.query, 'page', { min: 1, max: 1_000_000, fallback: 1 });
  const limit = integerParam(request.query, 'limit', { min: 1, max: 100, fallback: 10 });
  return { page, limit };
}

export const aiPlatformAdminRoutes = [
  route<{ users: ConnectionData<UserData> }>({
    method: 'get',
    path: '/api/admin/users',
    family: '001',
    operation: `query RestAdminUsers($first: Int, $offset: Int, $filter: UserFilter) {
      users(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ...RestUser } }
    } ${USER_FIELDS}`,
    variables: (request) => {
      const { page, limit } = paging(request);
      const role = stringParam(request.query, 'role');
      return { first: limit, offset: (page - 1) * limit, filter: { role: role && upper(role) } };
    },
    respond: (data, request) => {
      const { page, limit } = paging(request);
      return {
        body: {
          users: data.users.nodes.map(presentAdminUser),
          pagination: { total: data.users.totalCount, page, limit, pages: Math.ceil(data.users.totalCount / limit) },
        },
      };
    },
  }),
  route<{ createUser: UserData }>({
    method: 'post',
    path: '/api/admin/users',
    family: '001',
    status: 201,
    operation: `mutation RestAdminCreateUser($input: CreateUserInput!) { createUser(input: $input) { ...RestUser } } ${USER_FIELDS}`,
    variables: ({ body, caller }) => {
      // Organizations are tenants: an admin creates users in its own only.
      if (body.organizationId !== undefined && body.organizationId !== caller?.tenantId) {
        throw new NotFoundError('Organization', String(body.organizationId));
      }
      const input = pick(body, ['email', 'password', 'firstName', 'lastName', 'role']);
      if ('role' in input) input.role = upper(input.role);
      return { input };
    },
    respond: (data) => ({ body: presentAdminUser(data.createUser) }),
  }),
];

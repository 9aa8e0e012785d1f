import { AUTH_FIELDS, USER_FIELDS, lower, pick, upper, type AuthData } from '../identity-shapes.js';
import { route } from '../route.js';

/** The 003 document's `/api/auth/*`: snake_case bodies, `{ success, message, token, user }`. */

function presentDialerAuth(auth: AuthData, message: string) {
  return {
    message,
    token: auth.accessToken,
    refresh_token: auth.refreshToken,
    expires_in: auth.expiresIn,
    user: {
      id: auth.user.id,
      email: auth.user.email,
      role: lower(auth.user.role),
      tenant_id: auth.user.tenant.id,
      first_name: auth.user.firstName,
      last_name: auth.user.lastName,
    },
  };
}

export const dialerAuthRoutes = [
  route<{ register: AuthData }>({
    method: 'post',
    path: '/api/auth/register',
    family: '003',
    public: true,
    status: 201,
    operation: `mutation RestDialerRegister($input: RegisterInput!) { register(input: $input) { ...RestAuth } } ${AUTH_FIELDS} ${USER_FIELDS}`,
    variables: ({ body }) => ({
      input: {
        ...pick(body, ['email', 'password', 'phone']),
        ...('first_name' in body ? { firstName: body.first_name } : {}),
        ...('last_name' in body ? { lastName: body.last_name } : {}),
        ...('role' in body ? { role: upper(body.role) } : {}),
        ...('tenant_id' in body ? { tenantId: body.tenant_id } : {}),
      },
    }),
    respond: (data) => ({ body: presentDialerAuth(data.register, 'User registered successfully') }),
  }),
  route<{ login: AuthData }>({
    method: 'post',
    path: '/api/auth/login',
    family: '003',
    public: true,
    operation: `mutation RestDialerLogin($input: LoginInput!) { login(input: $input) { ...RestAuth } } ${AUTH_FIELDS} ${USER_FIELDS}`,
    variables: ({ body }) => ({ input: pick(body, ['email', 'password']) }),
    respond: (data) => ({ body: presentDialerAuth(data.login, 'Login successful') }),
  }),
];

import { AUTH_FIELDS, USER_FIELDS, lower, pick, upper, type AuthData } from '../identity-shapes.js';
import { route } from '../route.js';

/** The 004 document's auth and personal settings under `/api/v1`. */

function presentSociamaticAuth(auth: AuthData) {
  return {
    accessToken: auth.accessToken,
    refreshToken: auth.refreshToken,
    expiresIn: auth.expiresIn,
    user: {
      id: auth.user.id,
      email: auth.user.email,
      name: auth.user.displayName,
      role: lower(auth.user.role),
      tenantId: auth.user.tenant.id,
    },
  };
}

interface PreferencesData {
  notifications: { email: boolean; inApp: boolean; desktop: boolean };
  theme: string;
  language: string;
  timezone: string;
}

const PREFERENCE_FIELDS = 'notifications { email inApp desktop } theme language timezone';
const presentPreferences = (preferences: PreferencesData) => ({ ...preferences, theme: lower(preferences.theme) });

export const sociamaticIdentityRoutes = [
  route<{ login: AuthData }>({
    method: 'post',
    path: '/api/v1/auth/login',
    family: '004',
    public: true,
    operation: `mutation RestSociamaticLogin($input: LoginInput!) { login(input: $input) { ...RestAuth } } ${AUTH_FIELDS} ${USER_FIELDS}`,
    variables: ({ body }) => ({ input: pick(body, ['email', 'password']) }),
    respond: (data) => ({ body: presentSociamaticAuth(data.login) }),
  }),
  route<{ register: AuthData }>({
    method: 'post',
    path: '/api/v1/auth/register',
    family: '004',
    public: true,
    status: 201,
    operation: `mutation RestSociamaticRegister($input: RegisterInput!) { register(input: $input) { ...RestAuth } } ${AUTH_FIELDS} ${USER_FIELDS}`,
    variables: ({ body }) => {
      const input = pick(body, ['email', 'password', 'name', 'tenantId', 'tenantName']);
      if ('role' in body) input.role = upper(body.role);
      return { input };
    },
    respond: (data) => ({ body: presentSociamaticAuth(data.register) }),
  }),
  route<{ refreshToken: AuthData }>({
    method: 'post',
    path: '/api/v1/auth/refresh-token',
    family: '004',
    public: true,
    operation: `mutation RestSociamaticRefresh($input: RefreshTokenInput!) { refreshToken(input: $input) { ...RestAuth } } ${AUTH_FIELDS} ${USER_FIELDS}`,
    variables: ({ body }) => ({ input: pick(body, ['refreshToken']) }),
    respond: (data) => ({ body: presentSociamaticAuth(data.refreshToken) }),
  }),
  route<{ preferences: PreferencesData }>({
    method: 'get',
    path: '/api/v1/preferences',
    family: '004',
    operation: `query RestPreferences { preferences { ${PREFERENCE_FIELDS} } }`,
    respond: (data) => ({ body: presentPreferences(data.preferences) }),
  }),
  route<{ updatePreferences: PreferencesData }>({
    method: 'put',
    path: '/api/v1/preferences',
    family: '004',
    operation: `mutation RestUpdatePreferences($input: UpdatePreferencesInput!) { updatePreferences(input: $input) { ${PREFERENCE_FIELDS} } }`,
    variables: ({ body }) => {
      const input = pick(body, ['notifications', 'theme', 'language', 'timezone']);
      if ('theme' in input) input.theme = upper(input.theme);
      return { input };
    },
    respond: (data) => ({ body: presentPreferences(data.updatePreferences) }),
  }),
];

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { verifyAccessToken, type Role } from '@deskgraph/auth';
import type { DomainEvent } from '@deskgraph/events';
import { startTestSubgraph, type TestSubgraph } from '@deskgraph/testing';
import { createIdentitySubgraph } from '../../../server.js';

/** Test support shared by the identity subgraph's service tests: a subgraph on a fresh database, and signed-in users. */

export const PASSWORD = 'correct horse battery';

export interface SignedIn {
  tenantId: string;
  userId: string;
  email: string;
  refreshToken: string;
  /** The gateway's signed caller assertion for this user's session. */
  token: string;
}

type IdentitySubgraph = Awaited<ReturnType<typeof createIdentitySubgraph>>;

interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; role: string };
}

const AUTH = 'accessToken refreshToken user { id email role }';

export function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

/** An identity subgraph for the calling test file, started before its tests and stopped after. */
export function useIdentitySubgraph() {
  const config = { jwtSecret: `identity-test-${randomUUID()}`, refreshTokenTtlDays: 30 };
  let started: TestSubgraph<IdentitySubgraph> | undefined;
  beforeAll(async () => {
    started = await startTestSubgraph((dependencies) => createIdentitySubgraph(dependencies, config));
  });
  afterAll(async () => started?.stop());

  const identity = (): TestSubgraph<IdentitySubgraph> => {
    if (!started) throw new Error('the identity subgraph has not started');
    return started;
  };

  const data = <T = any>(query: string, variables: Record<string, unknown>, token: string | null): Promise<T> =>
    identity().data<T>(query, variables, token);

  const failure = (query: string, variables: Record<string, unknown>, token: string | null) => identity().failure(query, variables, token);

  const signedIn = async (auth: AuthPayload): Promise<SignedIn> => {
    const claims = await verifyAccessToken(config.jwtSecret, auth.accessToken);
    const role = auth.user.role.toLowerCase() as Role;
    const { token } = await identity().caller({ tenantId: claims.tenantId, userId: claims.userId, sessionId: claims.sessionId, role });
    return { tenantId: claims.tenantId, userId: auth.user.id, email: auth.user.email, refreshToken: auth.refreshToken, token };
  };

  const login = (email: string, password = PASSWORD) =>
    identity().run(`mutation ($input: LoginInput!) { login(input: $input) { ${AUTH} } }`, { input: { email, password } });

  return {
    identity,
    data,
    failure,
    login,

    refresh: (refreshToken: string) =>
      identity().run(`mutation ($token: String!) { refreshToken(input: { refreshToken: $token }) { refreshToken } }`, {
        token: refreshToken,
      }),

    /** A new tenant through the public registration, signed in as its admin. */
    async registerTenant(tenantName?: string): Promise<SignedIn> {
      const { register } = await data<{ register: AuthPayload }>(
        `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH} } }`,
        { input: { email: uniqueEmail('admin'), password: PASSWORD, name: 'Ada Admin', tenantName } },
        null,
      );
      return signedIn(register);
    },

    /** A user created by the tenant's admin through `createUser`, then signed in. */
    async addUser(admin: SignedIn, role: Role, fields: Record<string, unknown> = {}): Promise<SignedIn> {
      const email = uniqueEmail(role);
      await data(
        `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`,
        { input: { email, password: PASSWORD, firstName: 'Test', lastName: role, role: role.toUpperCase(), ...fields } },
        admin.token,
      );
      const result = await login(email);
      if (result.errors) throw new Error(`login failed: ${JSON.stringify(result.errors)}`);
      return signedIn((result.data as { login: AuthPayload }).login);
    },

    /** Events the subgraph published for one tenant, by type, once the outbox is flushed. */
    async eventsOf(tenantId: string, type: string): Promise<DomainEvent[]> {
      await identity().settle();
      return identity().events.filter((event) => event.tenantId === tenantId && event.type === type);
    },
  };
}

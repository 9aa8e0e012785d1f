import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueEmail, useIdentitySubgraph, type SignedIn } from './identity-harness.js';

const { identity, data, failure, registerTenant, addUser, login, refresh, eventsOf } = useIdentitySubgraph();

const UPDATE_USER = `mutation ($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { id firstName lastName phone role isActive maxConcurrentConversations } }`;
const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) }`;

describe('User entity references', () => {
  it('resolves users of the caller’s tenant through _entities and null for another tenant’s', async () => {
    const alpha = await registerTenant();
    const beta = await registerTenant();
    const colleague = await addUser(alpha, 'agent');
    const { _entities } = await data(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id email role tenant { id } } } }`,
      {
        representations: [
          { __typename: 'User', id: colleague.userId },
          { __typename: 'User', id: beta.userId },
          { __typename: 'User', id: alpha.userId },
          { __typename: 'User', id: 'not-a-uuid' },
        ],
      },
      alpha.token,
    );
    expect(_entities).toEqual([
      { id: colleague.userId, email: colleague.email, role: 'AGENT', tenant: { id: alpha.tenantId } },
      null,
      { id: alpha.userId, email: alpha.email, role: 'ADMIN', tenant: { id: alpha.tenantId } },
      null,
    ]);
  });
});

describe('users list', () => {
  let admin: SignedIn;
  let agents: SignedIn[];
  let customer: SignedIn;
  let retired: SignedIn;
  let teamId: string;

  const LIST = `query ($first: Int, $after: String, $offset: Int, $filter: UserFilter) {
    users(first: $first, after: $after, offset: $offset, filter: $filter) {
      totalCount
      nodes { id email }
      edges { cursor node { id } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

  async function list(variables: Record<string, unknown>, token = admin.token) {
    return (await data(LIST, variables, token)).users as {
      totalCount: number;
      nodes: { id: string; email: string }[];
      edges: { cursor: string; node: { id: string } }[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
    };
  }

  beforeAll(async () => {
    admin = await registerTenant();
    agents = [
      await addUser(admin, 'agent', { firstName: 'Grace', lastName: 'Hopper' }),
      await addUser(admin, 'agent', { firstName: 'Alan', lastName: 'Turing' }),
      await addUser(admin, 'agent', { firstName: 'Katherine', lastName: 'Johnson_100%' }),
    ];
    customer = await addUser(admin, 'customer', { firstName: 'Charles', lastName: 'Babbage' });
    retired = await addUser(admin, 'agent', { firstName: 'Old', lastName: 'Timer' });
    await data(UPDATE_USER, { id: retired.userId, input: { isActive: false } }, admin.token);
    const { createTeam } = await data(
      `mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }`,
      { input: { name: 'Billing', memberIds: [agents[0]!.userId, customer.userId] } },
      admin.token,
    );
    teamId = createTeam.id;
    // Another tenant's users must never show up.
    const other = await registerTenant();
    await addUser(other, 'agent', { firstName: 'Grace', lastName: 'Elsewhere' });
  });

  it('lists the tenant’s users, newest first, with the total', async () => {
    const all = await list({ first: 100 });
    const everyone = [admin, ...agents, customer, retired];
    expect(all.totalCount).toBe(everyone.length);
    expect(all.nodes.map((user) => user.id).sort()).toEqual(everyone.map((user) => user.userId).sort());
    expect(all.nodes[0]!.id).toBe(retired.userId);
    expect(all.nodes.at(-1)!.id).toBe(admin.userId);
  });

  it('filters by role', async () => {
    const page = await list({ first: 100, filter: { role: 'CUSTOMER' } });
    expect(page.nodes.map((user) => user.id)).toEqual([customer.userId]);
    expect(page.totalCount).toBe(1);
    expect((await list({ first: 100, filter: { role: 'ADMIN' } })).nodes.map((user) => user.id)).toEqual([admin.userId]);
  });

  it('filters by team membership', async () => {
    const page = await list({ first: 100, filter: { teamId } });
    expect(page.nodes.map((user) => user.id).sort()).toEqual([agents[0]!.userId, customer.userId].sort());
    expect((await list({ first: 100, filter: { teamId: randomUUID() } })).totalCount).toBe(0);
    expect((await list({ first: 100, filter: { teamId: 'not-a-uuid' } })).totalCount).toBe(0);
  });

  it('filters by active state', async () => {
    expect((await list({ first: 100, filter: { isActive: false } })).nodes.map((user) => user.id)).toEqual([retired.userId]);
    expect((await list({ first: 100, filter: { isActive: true } })).totalCount).toBe(5);
  });

  it('searches names and emails case-insensitively, treating % and _ literally', async () => {
    expect((await list({ filter: { search: 'grace' } })).nodes.map((user) => user.id)).toEqual([agents[0]!.userId]);
    expect((await list({ filter: { search: 'TURING' } })).nodes.map((user) => user.id)).toEqual([agents[1]!.userId]);
    expect((await list({ filter: { search: customer.email.slice(0, 14).toUpperCase() } })).nodes.map((user) => user.id)).toEqual([
      customer.userId,
    ]);
    expect((await list({ filter: { search: 'Johnson_100%' } })).nodes.map((user) => user.id)).toEqual([agents[2]!.userId]);
    expect((await list({ filter: { search: '%' } })).nodes.map((user) => user.id)).toEqual([agents[2]!.userId]);
    expect((await list({ filter: { search: 'Hop_er' } })).totalCount).toBe(0);
  });

  it('combines filters', async () => {
    const page = await list({ first: 100, filter: { role: 'AGENT', isActive: true, teamId } });
    expect(page.nodes.map((user) => user.id)).toEqual([agents[0]!.userId]);
  });

  it('pages with first/after through every user once', async () => {
    const all = (await list({ first: 100 })).nodes.map((user) => user.id);
    const seen: string[] = [];
    let after: string | null = null;
    for (let pageNumber = 0; pageNumber < 10; pageNumber++) {
      const page = await list({ first: 2, after });
      seen.push(...page.nodes.map((user) => user.id));
      expect(page.totalCount).toBe(6);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it('pages by offset', async () => {
    const all = (await list({ first: 100 })).nodes.map((user) => user.id);
    const page = await list({ first: 2, offset: 2 });
    expect(page.nodes.map((user) => user.id)).toEqual(all.slice(2, 4));
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const last = await list({ first: 4, offset: 4 });
    expect(last.nodes.map((user) => user.id)).toEqual(all.slice(4));
    expect(last.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses bad page arguments with VALIDATION_ERROR', async () => {
    expect(await failure(LIST, { first: 101 }, admin.token)).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'first' }] });
    expect(await failure(LIST, { first: 2, offset: 2, after: 'abc' }, admin.token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'offset' }],
    });
    expect(await failure(LIST, { after: 'definitely not a cursor' }, admin.token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'after', message: 'is not a valid cursor' }],
    });
  });

  it('lets agents list colleagues but not customers', async () => {
    expect((await list({ first: 1 }, agents[1]!.token)).totalCount).toBe(6);
    expect(await failure(LIST, {}, customer.token)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(LIST, {}, null)).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('updateUser', () => {
  it('lets users change their own names and phone', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const { updateUser } = await data(
      UPDATE_USER,
      { id: agent.userId, input: { firstName: '  Grace ', lastName: 'Hopper', phone: '+1 (415) 555-2671' } },
      agent.token,
    );
    expect(updateUser).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', phone: '+14155552671', role: 'AGENT' });
    const { updateUser: cleared } = await data(UPDATE_USER, { id: agent.userId, input: { phone: null } }, agent.token);
    expect(cleared.phone).toBeNull();
  });

  it('refuses a user changing their own role, active state or limit, and another user’s name', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    for (const input of [{ role: 'ADMIN' }, { isActive: false }, { maxConcurrentConversations: 50 }]) {
      expect(await failure(UPDATE_USER, { id: agent.userId, input }, agent.token)).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(await failure(UPDATE_USER, { id: admin.userId, input: { firstName: 'Mallory' } }, agent.token)).toMatchObject({
      code: 'FORBIDDEN',
    });
    const { user } = await data(`query ($id: ID!) { user(id: $id) { role firstName } }`, { id: agent.userId }, admin.token);
    expect(user).toEqual({ role: 'AGENT', firstName: 'Test' });
  });

  it('lets an admin change another user’s role and limit, and announces the role change', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const { updateUser } = await data(
      UPDATE_USER,
      { id: agent.userId, input: { role: 'ADMIN', maxConcurrentConversations: 12 } },
      admin.token,
    );
    expect(updateUser).toMatchObject({ role: 'ADMIN', maxConcurrentConversations: 12 });
    expect((await eventsOf(admin.tenantId, 'user.role_changed')).map((event) => event.payload)).toEqual([
      { userId: agent.userId, email: agent.email, role: 'admin', isActive: true },
    ]);
  });

  it('reports invalid fields of an update at once', async () => {
    const admin = await registerTenant();
    const result = await failure(
      UPDATE_USER,
      { id: admin.userId, input: { firstName: ' ', phone: 'call me', maxConcurrentConversations: 0 } },
      admin.token,
    );
    expect(result.code).toBe('VALIDATION_ERROR');
    expect(result.details?.map((detail) => detail.field).sort()).toEqual(['firstName', 'maxConcurrentConversations', 'phone']);
  });

  it('answers NOT_FOUND for another tenant’s user and for ids that are not UUIDs', async () => {
    const admin = await registerTenant();
    const stranger = await registerTenant();
    expect(await failure(UPDATE_USER, { id: stranger.userId, input: { firstName: 'Hijacked' } }, admin.token)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure(UPDATE_USER, { id: 'nope', input: { role: 'AGENT' } }, admin.token)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses to demote or deactivate the last active admin with CONFLICT', async () => {
    const admin = await registerTenant();
    expect(await failure(UPDATE_USER, { id: admin.userId, input: { role: 'AGENT' } }, admin.token)).toMatchObject({
      code: 'CONFLICT',
      message: 'A tenant needs at least one active admin',
    });
    expect(await failure(UPDATE_USER, { id: admin.userId, input: { isActive: false } }, admin.token)).toMatchObject({ code: 'CONFLICT' });
    expect(await failure(`mutation ($id: ID!) { deactivateUser(id: $id) { id } }`, { id: admin.userId }, admin.token)).toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('keeps an admin when two admins demote each other at the same moment', async () => {
    for (let round = 0; round < 3; round++) {
      const first = await registerTenant();
      const second = await addUser(first, 'admin');
      const outcomes = await Promise.all([
        identity().run(UPDATE_USER, { id: first.userId, input: { role: 'AGENT' } }, second.token),
        identity().run(UPDATE_USER, { id: second.userId, input: { role: 'AGENT' } }, first.token),
      ]);
      expect(outcomes.filter((outcome) => !outcome.errors)).toHaveLength(1);
      expect(outcomes.flatMap((outcome) => outcome.errors ?? []).map((error) => error.extensions?.code)).toEqual(['CONFLICT']);
    }
  });

  it('announces every user change with the email, role and active flag after it (support’s directory applies each alone)', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    await data(UPDATE_USER, { id: agent.userId, input: { isActive: false } }, admin.token);
    await data(UPDATE_USER, { id: agent.userId, input: { isActive: true } }, admin.token);
    const states = (type: string) =>
      eventsOf(admin.tenantId, type).then((events) => events.filter((event) => event.aggregateId === agent.userId));
    expect((await states('user.created')).map((event) => event.payload)).toEqual([
      { userId: agent.userId, email: agent.email, role: 'agent', isActive: true },
    ]);
    expect((await states('user.updated')).map((event) => event.payload)).toEqual([
      { userId: agent.userId, email: agent.email, role: 'agent', isActive: false },
      { userId: agent.userId, email: agent.email, role: 'agent', isActive: true },
    ]);
  });

  it('lets an admin step down once another active admin exists, but not when that admin is inactive', async () => {
    const admin = await registerTenant();
    const deputy = await addUser(admin, 'admin');
    await data(UPDATE_USER, { id: deputy.userId, input: { isActive: false } }, admin.token);
    expect(await failure(UPDATE_USER, { id: admin.userId, input: { role: 'AGENT' } }, admin.token)).toMatchObject({ code: 'CONFLICT' });
    await data(UPDATE_USER, { id: deputy.userId, input: { isActive: true } }, admin.token);
    const { updateUser } = await data(UPDATE_USER, { id: admin.userId, input: { role: 'AGENT' } }, admin.token);
    expect(updateUser.role).toBe('AGENT');
  });

  it('deactivation ends the user’s sessions, stops sign-in and is announced', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const secondSession = (await login(agent.email)).data as { login: { refreshToken: string } };
    const { deactivateUser } = await data(
      `mutation ($id: ID!) { deactivateUser(id: $id) { id isActive } }`,
      { id: agent.userId },
      admin.token,
    );
    expect(deactivateUser).toEqual({ id: agent.userId, isActive: false });

    for (const token of [agent.refreshToken, secondSession.login.refreshToken]) {
      expect((await refresh(token)).errors?.[0]).toMatchObject({ message: 'Refresh token revoked', extensions: { code: 'UNAUTHORIZED' } });
    }
    expect((await login(agent.email)).errors?.[0]).toMatchObject({ message: 'Invalid email or password' });

    expect((await eventsOf(admin.tenantId, 'user.deactivated')).map((event) => event.payload)).toEqual([
      { userId: agent.userId, email: agent.email, role: 'agent', isActive: false, by: admin.userId },
    ]);
    const revoked = (await eventsOf(admin.tenantId, 'session.revoked')).filter((event) => event.payload.userId === agent.userId);
    expect(revoked).toHaveLength(2);
    expect(revoked.every((event) => event.payload.reason === 'user_deactivated')).toBe(true);
  });

  it('leaves other users’ sessions alone when one user is deactivated', async () => {
    const admin = await registerTenant();
    const leaving = await addUser(admin, 'agent');
    const staying = await addUser(admin, 'agent');
    await data(UPDATE_USER, { id: leaving.userId, input: { isActive: false } }, admin.token);
    expect((await refresh(staying.refreshToken)).errors).toBeUndefined();
  });
});

describe('changePassword', () => {
  it('changes one’s own password with the current one and ends every session', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const result = await data(
      CHANGE_PASSWORD,
      { input: { currentPassword: PASSWORD, newPassword: 'a much better password' } },
      agent.token,
    );
    expect(result.changePassword).toBe(true);
    expect((await refresh(agent.refreshToken)).errors?.[0]?.message).toBe('Refresh token revoked');
    expect((await login(agent.email)).errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
    expect((await login(agent.email, 'a much better password')).errors).toBeUndefined();
    expect((await eventsOf(admin.tenantId, 'session.revoked')).some((event) => event.payload.reason === 'password_changed')).toBe(true);
  });

  it('refuses a wrong or missing current password with VALIDATION_ERROR on currentPassword', async () => {
    const admin = await registerTenant();
    for (const input of [
      { currentPassword: 'not my password', newPassword: 'a much better password' },
      { newPassword: 'a much better password' },
    ]) {
      expect(await failure(CHANGE_PASSWORD, { input }, admin.token)).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'currentPassword', message: 'is not the current password' }],
      });
    }
    expect((await refresh(admin.refreshToken)).errors).toBeUndefined();
    expect((await login(admin.email)).errors).toBeUndefined();
  });

  it('refuses a new password that is too short', async () => {
    const admin = await registerTenant();
    expect(await failure(CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: 'short' } }, admin.token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'newPassword', message: 'must be at least 8 characters' }],
    });
  });

  it('lets an admin set another user’s password without the current one, ending that user’s sessions', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    await data(CHANGE_PASSWORD, { input: { userId: agent.userId, newPassword: 'reset by the admin' } }, admin.token);
    expect((await refresh(agent.refreshToken)).errors?.[0]?.message).toBe('Refresh token revoked');
    expect((await login(agent.email, 'reset by the admin')).errors).toBeUndefined();
    expect((await refresh(admin.refreshToken)).errors).toBeUndefined();
  });

  it('refuses an agent setting a colleague’s password, and an admin another tenant’s', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const stranger = await registerTenant();
    expect(await failure(CHANGE_PASSWORD, { input: { userId: admin.userId, newPassword: 'taken over!!' } }, agent.token)).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await failure(CHANGE_PASSWORD, { input: { userId: stranger.userId, newPassword: 'taken over!!' } }, admin.token)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect((await login(stranger.email)).errors).toBeUndefined();
  });
});

describe('createUser and updateUserSkills', () => {
  it('refuses an email that exists in any tenant, in any case, with CONFLICT', async () => {
    const admin = await registerTenant();
    const stranger = await registerTenant();
    const result = await failure(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { email: stranger.email.toUpperCase(), password: PASSWORD, firstName: 'Copy' } },
      admin.token,
    );
    expect(result).toMatchObject({ code: 'CONFLICT', message: 'A user with this email already exists' });
  });

  it('refuses teams of another tenant with VALIDATION_ERROR on teamIds', async () => {
    const admin = await registerTenant();
    const stranger = await registerTenant();
    const { createTeam } = await data(`mutation { createTeam(input: { name: "Theirs" }) { id } }`, {}, stranger.token);
    const result = await failure(
      `mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }`,
      { input: { email: uniqueEmail('x'), password: PASSWORD, firstName: 'X', teamIds: [createTeam.id] } },
      admin.token,
    );
    expect(result).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'teamIds', message: `team ${createTeam.id} does not exist` }],
    });
  });

  it('replaces skills with trimmed, lower-cased, unique ones (admins only)', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const UPDATE_SKILLS = `mutation ($id: ID!, $skills: [String!]!) { updateUserSkills(id: $id, skills: $skills) { skills } }`;
    const { updateUserSkills } = await data(UPDATE_SKILLS, { id: agent.userId, skills: ['Billing', ' billing', 'VIP'] }, admin.token);
    expect(updateUserSkills.skills).toEqual(['billing', 'vip']);
    expect(await failure(UPDATE_SKILLS, { id: agent.userId, skills: ['hacking'] }, agent.token)).toMatchObject({ code: 'FORBIDDEN' });
  });
});

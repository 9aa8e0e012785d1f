import { NotFoundError } from '@deskgraph/errors';
import {
  AUTH_FIELDS,
  TEAM_FIELDS,
  USER_FIELDS,
  pick,
  presentTeam,
  presentUser,
  scheduleInput,
  upper,
  type AuthData,
  type ConnectionData,
  type TeamData,
  type UserData,
} from '../identity-shapes.js';
import { booleanParam, pageParams, pagePagination, stringParam } from '../query-params.js';
import { route, type RestRequest } from '../route.js';

/** The 000 document's auth, users and teams under `/v1`. */

function presentAuth(auth: AuthData) {
  return { accessToken: auth.accessToken, refreshToken: auth.refreshToken, expiresIn: auth.expiresIn, user: presentUser(auth.user) };
}

function found<T>(value: T | null, resource: string, id: string | undefined): T {
  if (value === null) throw new NotFoundError(resource, id);
  return value;
}

const NEW_USER_FIELDS = ['email', 'password', 'firstName', 'lastName', 'phone', 'role', 'skills', 'maxConcurrentConversations', 'teamIds'];
const USER_UPDATE_FIELDS = ['firstName', 'lastName', 'phone', 'role', 'isActive', 'maxConcurrentConversations'];

const userInput = (body: Record<string, unknown>, fields: readonly string[]) => {
  const input = pick(body, fields);
  if ('role' in input) input.role = upper(input.role);
  return input;
};

const teamInput = (body: Record<string, unknown>) => {
  const input = pick(body, ['name', 'description', 'skills', 'schedule', 'memberIds']);
  if ('schedule' in input) input.schedule = scheduleInput(input.schedule);
  return input;
};

const listPage = (request: RestRequest) => pageParams(request.query);

export const omnichannelIdentityRoutes = [
  route<{ login: AuthData }>({
    method: 'post',
    path: '/v1/auth/login',
    family: '000',
    public: true,
    operation: `mutation RestLogin($input: LoginInput!) { login(input: $input) { ...RestAuth } } ${AUTH_FIELDS} ${USER_FIELDS}`,
    variables: ({ body }) => ({ input: pick(body, ['email', 'password']) }),
    respond: (data) => ({ body: presentAuth(data.login) }),
  }),
  route<{ refreshToken: AuthData }>({
    method: 'post',
    path: '/v1/auth/refresh',
    family: '000',
    public: true,
    operation: `mutation RestRefresh($input: RefreshTokenInput!) { refreshToken(input: $input) { ...RestAuth } } ${AUTH_FIELDS} ${USER_FIELDS}`,
    variables: ({ body }) => ({ input: pick(body, ['refreshToken']) }),
    respond: (data) => ({ body: presentAuth(data.refreshToken) }),
  }),
  route<{ logout: boolean }>({
    method: 'post',
    path: '/v1/auth/logout',
    family: '000',
    operation: `mutation RestLogout($input: LogoutInput) { logout(input: $input) }`,
    variables: ({ body }) => ({ input: pick(body, ['refreshToken']) }),
    respond: (data) => ({ body: { loggedOut: data.logout } }),
  }),
  route<{ me: UserData }>({
    method: 'get',
    path: '/v1/auth/me',
    family: '000',
    operation: `query RestMe { me { ...RestUser } } ${USER_FIELDS}`,
    respond: (data) => ({ body: presentUser(data.me) }),
  }),
  route<{ users: ConnectionData<UserData> }>({
    method: 'get',
    path: '/v1/users',
    family: '000',
    operation: `query RestUsers($first: Int, $offset: Int, $filter: UserFilter) {
      users(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ...RestUser } }
    } ${USER_FIELDS}`,
    variables: (request) => {
      const { first, offset } = listPage(request);
      const role = stringParam(request.query, 'role');
      return {
        first,
        offset,
        filter: {
          role: role && upper(role),
          teamId: stringParam(request.query, 'teamId'),
          isActive: booleanParam(request.query, 'isActive'),
          search: stringParam(request.query, 'search'),
        },
      };
    },
    respond: (data, request) => {
      const { page, pageSize } = listPage(request);
      return { body: data.users.nodes.map(presentUser), pagination: pagePagination(data.users.totalCount, page, pageSize) };
    },
  }),
  route<{ user: UserData | null }>({
    method: 'get',
    path: '/v1/users/:id',
    family: '000',
    operation: `query RestUser($id: ID!) { user(id: $id) { ...RestUser } } ${USER_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: presentUser(found(data.user, 'User', params.id)) }),
  }),
  route<{ createUser: UserData }>({
    method: 'post',
    path: '/v1/users',
    family: '000',
    status: 201,
    operation: `mutation RestCreateUser($input: CreateUserInput!) { createUser(input: $input) { ...RestUser } } ${USER_FIELDS}`,
    variables: ({ body }) => ({ input: userInput(body, NEW_USER_FIELDS) }),
    respond: (data) => ({ body: presentUser(data.createUser) }),
  }),
  route<{ updateUser: UserData }>({
    method: 'patch',
    path: '/v1/users/:id',
    family: '000',
    operation: `mutation RestUpdateUser($id: ID!, $input: UpdateUserInput!) { updateUser(id: $id, input: $input) { ...RestUser } } ${USER_FIELDS}`,
    variables: ({ params, body }) => ({ id: params.id, input: userInput(body, USER_UPDATE_FIELDS) }),
    respond: (data) => ({ body: presentUser(data.updateUser) }),
  }),
  route<{ deactivateUser: UserData }>({
    method: 'delete',
    path: '/v1/users/:id',
    family: '000',
    operation: `mutation RestDeactivateUser($id: ID!) { deactivateUser(id: $id) { ...RestUser } } ${USER_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data) => ({ body: presentUser(data.deactivateUser) }),
  }),
  route<{ updateUserSkills: UserData }>({
    method: 'patch',
    path: '/v1/users/:id/skills',
    family: '000',
    operation: `mutation RestUserSkills($id: ID!, $skills: [String!]!) { updateUserSkills(id: $id, skills: $skills) { ...RestUser } } ${USER_FIELDS}`,
    variables: ({ params, body }) => ({ id: params.id, skills: body.skills }),
    respond: (data) => ({ body: presentUser(data.updateUserSkills) }),
  }),
  route<{ changePassword: boolean }>({
    method: 'patch',
    path: '/v1/users/:id/password',
    family: '000',
    operation: `mutation RestChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) }`,
    variables: ({ params, body }) => ({ input: { userId: params.id, ...pick(body, ['currentPassword', 'newPassword']) } }),
    respond: (data) => ({ body: { passwordChanged: data.changePassword } }),
  }),
  route<{ teams: ConnectionData<TeamData> }>({
    method: 'get',
    path: '/v1/teams',
    family: '000',
    operation: `query RestTeams($first: Int, $offset: Int) { teams(first: $first, offset: $offset) { totalCount nodes { ...RestTeam } } } ${TEAM_FIELDS}`,
    variables: (request) => {
      const { first, offset } = listPage(request);
      return { first, offset };
    },
    respond: (data, request) => {
      const { page, pageSize } = listPage(request);
      return { body: data.teams.nodes.map(presentTeam), pagination: pagePagination(data.teams.totalCount, page, pageSize) };
    },
  }),
  route<{ team: TeamData | null }>({
    method: 'get',
    path: '/v1/teams/:id',
    family: '000',
    operation: `query RestTeam($id: ID!) { team(id: $id) { ...RestTeam } } ${TEAM_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: presentTeam(found(data.team, 'Team', params.id)) }),
  }),
  route<{ createTeam: TeamData }>({
    method: 'post',
    path: '/v1/teams',
    family: '000',
    status: 201,
    operation: `mutation RestCreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { ...RestTeam } } ${TEAM_FIELDS}`,
    variables: ({ body }) => ({ input: teamInput(body) }),
    respond: (data) => ({ body: presentTeam(data.createTeam) }),
  }),
  route<{ updateTeam: TeamData }>({
    method: 'patch',
    path: '/v1/teams/:id',
    family: '000',
    operation: `mutation RestUpdateTeam($id: ID!, $input: UpdateTeamInput!) { updateTeam(id: $id, input: $input) { ...RestTeam } } ${TEAM_FIELDS}`,
    variables: ({ params, body }) => ({ id: params.id, input: teamInput(body) }),
    respond: (data) => ({ body: presentTeam(data.updateTeam) }),
  }),
  route<{ deleteTeam: boolean }>({
    method: 'delete',
    path: '/v1/teams/:id',
    family: '000',
    operation: `mutation RestDeleteTeam($id: ID!) { deleteTeam(id: $id) }`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: { id: params.id, deleted: data.deleteTeam } }),
  }),
  route<{ team: { members: UserData[] } | null }>({
    method: 'get',
    path: '/v1/teams/:id/members',
    family: '000',
    operation: `query RestTeamMembers($id: ID!) { team(id: $id) { members { ...RestUser } } } ${USER_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: found(data.team, 'Team', params.id).members.map(presentUser) }),
  }),
];

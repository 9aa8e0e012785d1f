import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const userResolvers: Resolvers = {
  Query: {
    me: (_parent, _args, ctx) => ctx.users.me(),
    user: (_parent, { id }, ctx) => ctx.users.get(id),
    users: (_parent, { first, after, offset, filter }, ctx) => ctx.users.list(filter ?? {}, { first, after, offset }),
  },
  Mutation: {
    createUser: (_parent, { input }, ctx) => ctx.users.create(input),
    updateUser: (_parent, { id, input }, ctx) => ctx.users.update(id, input),
    deactivateUser: (_parent, { id }, ctx) => ctx.users.deactivate(id),
    updateUserSkills: (_parent, { id, skills }, ctx) => ctx.users.updateSkills(id, skills),
    changePassword: (_parent, { input }, ctx) => ctx.users.changePassword(input),
  },
  User: {
    __resolveReference: (reference, ctx) => ctx.users.load(reference.id),
    tenant: async (user, _args, ctx) => {
      const tenant = await ctx.tenants.byId(user.tenantId);
      if (!tenant) throw new Error(`Tenant ${user.tenantId} of user ${user.id} is missing`);
      return tenant;
    },
    displayName: (user) => `${user.firstName} ${user.lastName}`.trim(),
    teamId: async (user, _args, ctx) => (await ctx.users.teamIds(user.id))[0] ?? null,
    teams: async (user, _args, ctx) => {
      const ids = await ctx.users.teamIds(user.id);
      const teams = await Promise.all(ids.map((id) => ctx.teams.load(id)));
      return teams.filter((team) => team !== null);
    },
  },
};

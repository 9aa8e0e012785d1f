import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const teamResolvers: Resolvers = {
  Query: {
    team: (_parent, { id }, ctx) => ctx.teams.get(id),
    teams: (_parent, { first, after, offset }, ctx) => ctx.teams.list({ first, after, offset }),
  },
  Mutation: {
    createTeam: (_parent, { input }, ctx) => ctx.teams.create(input),
    updateTeam: (_parent, { id, input }, ctx) => ctx.teams.update(id, input),
    deleteTeam: (_parent, { id }, ctx) => ctx.teams.delete(id),
  },
  Team: {
    __resolveReference: (reference, ctx) => ctx.teams.load(reference.id),
    members: async (team, _args, ctx) => {
      const users = await Promise.all((await ctx.teams.memberIds(team.id)).map((id) => ctx.users.load(id)));
      return users.filter((user) => user !== null);
    },
    memberCount: async (team, _args, ctx) => (await ctx.teams.memberIds(team.id)).length,
  },
};

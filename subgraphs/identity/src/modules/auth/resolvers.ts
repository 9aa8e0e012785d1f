import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const authResolvers: Resolvers = {
  Mutation: {
    register: (_parent, { input }, ctx) => ctx.auth.register(input),
    login: (_parent, { input }, ctx) => ctx.auth.login(input),
    refreshToken: (_parent, { input }, ctx) => ctx.auth.refresh(input),
    logout: (_parent, { input }, ctx) => ctx.auth.logout(input),
  },
};

import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const preferenceResolvers: Resolvers = {
  Query: {
    preferences: (_parent, _args, ctx) => ctx.preferences.get(),
  },
  Mutation: {
    updatePreferences: (_parent, { input }, ctx) => ctx.preferences.update(input),
  },
};

import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const resolutionResolvers: Resolvers = {
  Query: {
    resolution: (_parent, { id }, ctx) => ctx.resolutions.get(id),
    resolutions: (_parent, { first, after }, ctx) => ctx.resolutions.list({ first, after }),
  },
  Mutation: {
    createResolution: (_parent, { input }, ctx) => ctx.resolutions.create(input),
  },
  Resolution: {
    __resolveReference: (reference, ctx) => ctx.resolutions.load(reference.id),
  },
};

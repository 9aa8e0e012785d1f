import type { Resolvers } from '../../__generated__/resolvers-types.js';
import type { ResolutionUpdateEvent } from './realtime.types.js';

export const realtimeResolvers: Resolvers = {
  Subscription: {
    resolutionUpdated: {
      subscribe: (_parent, { resolutionId }, ctx) => ctx.realtime.resolutionUpdated(resolutionId),
      resolve: (event: ResolutionUpdateEvent) => event,
    },
  },
  ResolutionUpdate: {
    resolution: async (event, _args, ctx) => {
      const resolution = await ctx.resolutions.load(event.resolutionId);
      if (!resolution) throw new Error('The resolution of a live event no longer exists');
      return resolution;
    },
  },
};

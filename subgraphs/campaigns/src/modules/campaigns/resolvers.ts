import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const campaignResolvers: Resolvers = {
  Query: {
    campaign: (_parent, { id }, ctx) => ctx.campaigns.get(id),
    campaigns: (_parent, { first, after }, ctx) => ctx.campaigns.list({ first, after }),
  },
  Mutation: {
    createCampaign: (_parent, { input }, ctx) => ctx.campaigns.create(input),
  },
  Campaign: {
    __resolveReference: (reference, ctx) => ctx.campaigns.load(reference.id),
  },
};

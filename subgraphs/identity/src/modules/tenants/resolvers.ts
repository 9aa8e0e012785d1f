import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const tenantResolvers: Resolvers = {
  Query: {
    tenant: (_parent, _args, ctx) => ctx.tenants.current(),
  },
  Tenant: {
    __resolveReference: (reference, ctx) => ctx.tenants.load(reference.id),
  },
};

import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const tenantActivityResolvers: Resolvers = {
  Query: {
    tenantActivity: (_parent, _args, ctx) => ctx.tenantActivity.current(),
  },
  Tenant: {
    __resolveReference: (reference, ctx) => ctx.tenantActivity.reference(reference.id),
    activity: (tenant, _args, ctx) => ctx.tenantActivity.forTenant(tenant.id),
  },
};

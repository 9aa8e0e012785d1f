import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const organizationResolvers: Resolvers = {
  Query: {
    organization: (_parent, { id }, ctx) => ctx.organizations.get(id),
    organizations: (_parent, { first, after, offset, search }, ctx) => ctx.organizations.list({ first, after, offset, search }),
  },
  Mutation: {
    createOrganization: (_parent, { input }, ctx) => ctx.organizations.create(input),
    updateOrganization: (_parent, { id, input }, ctx) => ctx.organizations.update(id, input),
    deleteOrganization: (_parent, { id }, ctx) => ctx.organizations.delete(id),
  },
  Organization: {
    __resolveReference: (reference, ctx) => ctx.organizations.get(reference.id),
    customerCount: (organization, _args, ctx) => ctx.customers.countInOrganization(organization.id),
    customers: (organization, { first, after }, ctx) => ctx.customers.list({ organizationId: organization.id }, { first, after }),
  },
};

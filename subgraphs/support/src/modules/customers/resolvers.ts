import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const customerResolvers: Resolvers = {
  Query: {
    customer: (_parent, { id }, ctx) => ctx.customers.get(id),
    customers: (_parent, { first, after }, ctx) => ctx.customers.list({ first, after }),
  },
  Mutation: {
    createCustomer: (_parent, { input }, ctx) => ctx.customers.create(input),
  },
  Customer: {
    __resolveReference: (reference, ctx) => ctx.customers.load(reference.id),
  },
};

import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { identityGraph, primaryValue } from './customer-identities.js';

export const customerResolvers: Resolvers = {
  Query: {
    customer: (_parent, { id }, ctx) => ctx.customers.get(id),
    customers: (_parent, { first, after, offset, filter }, ctx) => ctx.customers.list(filter ?? {}, { first, after, offset }),
  },
  Mutation: {
    createCustomer: (_parent, { input }, ctx) => ctx.customers.create(input),
    updateCustomer: (_parent, { id, input }, ctx) => ctx.customers.update(id, input),
    deleteCustomer: (_parent, { id }, ctx) => ctx.customers.delete(id),
    addCustomerIdentity: (_parent, { customerId, input }, ctx) => ctx.customers.addIdentity(customerId, input),
    removeCustomerIdentity: (_parent, { customerId, kind, value, network }, ctx) =>
      ctx.customers.removeIdentity(customerId, { kind, value, network }),
    resolveCustomer: (_parent, { input }, ctx) => ctx.customers.resolveIdentity(input),
    mergeCustomers: (_parent, { input }, ctx) => ctx.customers.merge(input),
  },
  Customer: {
    __resolveReference: (reference, ctx) => ctx.customers.get(reference.id),
    email: async (customer, _args, ctx) => primaryValue(await ctx.customers.identities(customer.id), 'email'),
    phone: async (customer, _args, ctx) => primaryValue(await ctx.customers.identities(customer.id), 'phone'),
    profile: (customer) => ({ name: customer.name, company: customer.company ?? null, avatarUrl: customer.avatarUrl ?? null }),
    identityGraph: async (customer, _args, ctx) => identityGraph(await ctx.customers.identities(customer.id)),
    identities: (customer, _args, ctx) => ctx.customers.identities(customer.id),
    organization: (customer, _args, ctx) => (customer.organizationId ? ctx.organizations.load(customer.organizationId) : null),
  },
  CustomerIdentity: {
    network: (identity) => identity.network || null,
  },
};

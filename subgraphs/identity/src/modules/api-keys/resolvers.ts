import type { Resolvers } from '../../__generated__/resolvers-types.js';
import { isApiKeyActive } from './api-keys.service.js';

export const apiKeyResolvers: Resolvers = {
  Query: {
    apiKeys: (_parent, _args, ctx) => ctx.apiKeys.list(),
    _verifyApiKey: (_parent, { key }, ctx) => ctx.apiKeys.verify(key),
  },
  Mutation: {
    createApiKey: (_parent, { input }, ctx) => ctx.apiKeys.create(input),
    revokeApiKey: (_parent, { id }, ctx) => ctx.apiKeys.revoke(id),
  },
  ApiKey: {
    __resolveReference: (reference, ctx) => ctx.apiKeys.load(reference.id),
    createdBy: (apiKey, _args, ctx) => (apiKey.createdById ? ctx.users.load(apiKey.createdById) : null),
    isActive: (apiKey) => isApiKeyActive(apiKey),
  },
};

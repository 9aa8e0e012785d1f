import type { Resolvers } from './__generated__/resolvers-types.js';
import { apiKeyResolvers } from './modules/api-keys/resolvers.js';
import { authResolvers } from './modules/auth/resolvers.js';
import { preferenceResolvers } from './modules/preferences/resolvers.js';
import { teamResolvers } from './modules/teams/resolvers.js';
import { tenantResolvers } from './modules/tenants/resolvers.js';
import { userResolvers } from './modules/users/resolvers.js';

const modules: Resolvers[] = [tenantResolvers, userResolvers, teamResolvers, authResolvers, apiKeyResolvers, preferenceResolvers];

/** Every module's resolvers merged per type, plus the enums whose stored values are lower-case. */
export const resolvers: Resolvers = {
  ...mergeResolvers(modules),
  Role: { ADMIN: 'admin', AGENT: 'agent', CUSTOMER: 'customer' },
  Scope: { READ: 'read', WRITE: 'write', ADMIN: 'admin' },
  Theme: { LIGHT: 'light', DARK: 'dark', SYSTEM: 'system' },
};

function mergeResolvers(parts: Resolvers[]): Resolvers {
  const merged: Record<string, Record<string, unknown>> = {};
  for (const part of parts) {
    for (const [type, fields] of Object.entries(part)) merged[type] = { ...merged[type], ...(fields as Record<string, unknown>) };
  }
  return merged as Resolvers;
}

import type { Resolvers } from './__generated__/resolvers-types.js';
import { agentStatusResolvers } from './modules/agent-status/resolvers.js';
import { apiKeyResolvers } from './modules/api-keys/resolvers.js';
import { authResolvers } from './modules/auth/resolvers.js';
import { preferenceResolvers } from './modules/preferences/resolvers.js';
import { teamResolvers } from './modules/teams/resolvers.js';
import { tenantResolvers } from './modules/tenants/resolvers.js';
import { userResolvers } from './modules/users/resolvers.js';

/** Every module's resolvers; the kit merges them per type. */
export const resolvers: Resolvers[] = [
  tenantResolvers,
  userResolvers,
  teamResolvers,
  authResolvers,
  apiKeyResolvers,
  preferenceResolvers,
  agentStatusResolvers,
];

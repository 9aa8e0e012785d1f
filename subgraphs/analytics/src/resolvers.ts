import type { Resolvers } from './__generated__/resolvers-types.js';
import { tenantActivityResolvers } from './modules/tenant-activity/resolvers.js';

/** Every module's resolvers; the kit merges them per type. */
export const resolvers: Resolvers[] = [tenantActivityResolvers];

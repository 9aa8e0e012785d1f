import type { Resolvers } from './__generated__/resolvers-types.js';
import { campaignResolvers } from './modules/campaigns/resolvers.js';
import { realtimeResolvers } from './modules/realtime/resolvers.js';

/** Every module's resolvers; the kit merges them per type. */
export const resolvers: Resolvers[] = [campaignResolvers, realtimeResolvers];

import type { Resolvers } from './__generated__/resolvers-types.js';
import { realtimeResolvers } from './modules/realtime/resolvers.js';
import { resolutionResolvers } from './modules/resolutions/resolvers.js';

/** Every module's resolvers; the kit merges them per type. */
export const resolvers: Resolvers[] = [resolutionResolvers, realtimeResolvers];

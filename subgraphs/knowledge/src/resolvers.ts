import type { Resolvers } from './__generated__/resolvers-types.js';
import { articleResolvers } from './modules/articles/resolvers.js';

/** Every module's resolvers; the kit merges them per type. */
export const resolvers: Resolvers[] = [articleResolvers];

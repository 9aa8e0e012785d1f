import type { Resolvers } from './__generated__/resolvers-types.js';
import { channelResolvers } from './modules/channels/resolvers.js';
import { conversationResolvers } from './modules/conversations/resolvers.js';
import { messageResolvers } from './modules/messages/resolvers.js';
import { customerResolvers } from './modules/customers/resolvers.js';
import { organizationResolvers } from './modules/organizations/resolvers.js';
import { realtimeResolvers } from './modules/realtime/resolvers.js';
import { ticketResolvers } from './modules/tickets/resolvers.js';

/** Every module's resolvers; the kit merges them per type. */
export const resolvers: Resolvers[] = [
  customerResolvers,
  organizationResolvers,
  conversationResolvers,
  messageResolvers,
  ticketResolvers,
  realtimeResolvers,
  channelResolvers,
];

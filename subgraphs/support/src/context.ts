import type { RequestContext } from '@deskgraph/subgraph-kit';
import type { ChannelsService } from './modules/channels/channels.service.js';
import type { ConversationsService } from './modules/conversations/conversations.service.js';
import type { MessagesService } from './modules/messages/messages.service.js';
import type { CustomersService } from './modules/customers/customers.service.js';
import type { DirectoryService } from './modules/directory/directory.service.js';
import type { OrganizationsService } from './modules/organizations/organizations.service.js';
import type { RealtimeService } from './modules/realtime/realtime.service.js';
import type { TicketsService } from './modules/tickets/tickets.service.js';

/** The support subgraph's per-request context: the base context plus its services. */
export interface SubgraphContext extends RequestContext {
  conversations: ConversationsService;
  messages: MessagesService;
  customers: CustomersService;
  organizations: OrganizationsService;
  tickets: TicketsService;
  realtime: RealtimeService;
  channels: ChannelsService;
  directory: DirectoryService;
}

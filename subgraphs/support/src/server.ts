import { createSubgraph, type Subgraph, type SubgraphDependencies } from '@deskgraph/subgraph-kit';
import { supportConfig, type SupportConfig } from './config.js';
import type { SubgraphContext } from './context.js';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';
import { ChannelsService } from './modules/channels/channels.service.js';
import { ConversationsService } from './modules/conversations/conversations.service.js';
import { LocalDiskAttachmentStorage } from './modules/messages/attachment-storage.js';
import type { AttachmentSettings } from './modules/messages/attachments.js';
import { MessagesService } from './modules/messages/messages.service.js';
import { CustomersService } from './modules/customers/customers.service.js';
import { PortalCustomers } from './modules/customers/portal-customer.js';
import { consumeDirectoryEvents } from './modules/directory/directory.consumer.js';
import { DirectoryService } from './modules/directory/directory.service.js';
import { OrganizationsService } from './modules/organizations/organizations.service.js';
import { RealtimeService } from './modules/realtime/realtime.service.js';
import { TicketsService } from './modules/tickets/tickets.service.js';
import { resolvers } from './resolvers.js';
import { lowerCaseEnums } from './stored-enums.js';

export type { SupportConfig } from './config.js';

/** Customers, conversations, messages, tickets, routing, SLAs, channels and automation. */
export function createSupportSubgraph(
  dependencies: SubgraphDependencies,
  options: Partial<SupportConfig> = {},
): Promise<Subgraph<SubgraphContext>> {
  const config = supportConfig(options);
  const attachments: AttachmentSettings = {
    storage: config.attachmentStorage ?? new LocalDiskAttachmentStorage(config.attachmentsDirectory),
    limits: config.attachmentLimits,
  };
  return createSubgraph<SubgraphContext>(
    {
      name: 'support',
      entities,
      migrations,
      resolvers,
      lowerCaseEnums,
      extendContext: (base, { bus, orm }) => {
        // Services keep no state of their own (their loaders live in the request context).
        const organizations = new OrganizationsService(base);
        const directory = new DirectoryService(base);
        const portalCustomers = new PortalCustomers(base, directory);
        const conversations = new ConversationsService(base, attachments, directory);
        const messages = new MessagesService(base, attachments, portalCustomers);
        return {
          ...base,
          customers: new CustomersService(base, organizations),
          organizations,
          conversations,
          messages,
          tickets: new TicketsService(base, conversations, messages, directory),
          realtime: new RealtimeService(base, bus, portalCustomers),
          channels: new ChannelsService(base, orm, bus, conversations, messages),
          directory,
        };
      },
      // The tenant's members, as identity's events announce them (assignment checks, later routing).
      start: (runtime) => consumeDirectoryEvents(runtime),
    },
    dependencies,
  );
}

import { ChatChannelEntity } from './modules/channels/chat-channel.entity.js';
import { ConversationEventEntity } from './modules/conversations/conversation-event.entity.js';
import { ConversationEntity } from './modules/conversations/conversation.entity.js';
import { CustomerIdentityEntity } from './modules/customers/customer-identity.entity.js';
import { CustomerMergeEntity } from './modules/customers/customer-merge.entity.js';
import { CustomerEntity } from './modules/customers/customer.entity.js';
import { DirectoryTeamEntity } from './modules/directory/directory-team.entity.js';
import { DirectoryUserEntity } from './modules/directory/directory-user.entity.js';
import { MessageAttachmentEntity, MessageEntity } from './modules/messages/message.entity.js';
import { OrganizationEntity } from './modules/organizations/organization.entity.js';
import { TicketTemplateEntity } from './modules/tickets/ticket-template.entity.js';

/** Every entity of the support schema. */
export const entities = [
  OrganizationEntity,
  CustomerEntity,
  CustomerIdentityEntity,
  CustomerMergeEntity,
  ConversationEntity,
  ConversationEventEntity,
  MessageEntity,
  MessageAttachmentEntity,
  TicketTemplateEntity,
  ChatChannelEntity,
  DirectoryUserEntity,
  DirectoryTeamEntity,
];

import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from '@deskgraph/database';
import { ConflictError } from '@deskgraph/errors';
import type { Channel, Conversation } from '../conversations/conversation.entity.js';
import { applyMessage, tick } from '../conversations/conversation-changes.js';
import type { Actor } from '../conversations/conversation-ownership.js';
import type { PreparedAttachment } from './attachments.js';
import {
  MessageAttachmentEntity,
  MessageEntity,
  type ContentType,
  type DeliveryStatus,
  type Direction,
  type Message,
  type SenderType,
} from './message.entity.js';

/** A message about to be written; its content is already sanitised. */
export interface MessageDraft {
  channel: Channel;
  direction: Direction;
  senderType: SenderType;
  senderId: string | null;
  content: string;
  contentType: ContentType;
  isInternal: boolean;
  status: DeliveryStatus;
}

/**
 * Writes a message, its attachment rows and `message.created` in the caller's transaction
 * (the conversation must be locked by it), then applies the message to its conversation.
 * A CLOSED conversation takes no new messages.
 */
export async function writeMessage(
  em: EntityManager,
  conversation: Conversation,
  draft: MessageDraft,
  attachments: readonly PreparedAttachment[],
  actor: Actor,
  options: { opening?: boolean; moveState?: boolean } = {},
): Promise<Message> {
  if (conversation.state === 'closed') throw new ConflictError('A CLOSED conversation takes no new messages');
  const createdAt = tick();
  const message = em.create(MessageEntity, {
    id: randomUUID(),
    tenantId: conversation.tenantId,
    conversationId: conversation.id,
    customerId: conversation.customerId,
    channel: draft.channel,
    direction: draft.direction,
    senderType: draft.senderType,
    senderId: draft.senderId,
    content: draft.content,
    contentType: draft.contentType,
    isInternal: draft.isInternal,
    aiAnnotations: null,
    status: draft.status,
    externalId: null,
    deletedAt: null,
    deletedBy: null,
    createdAt,
    updatedAt: createdAt,
  });
  for (const attachment of attachments) {
    em.create(MessageAttachmentEntity, {
      id: randomUUID(),
      tenantId: conversation.tenantId,
      messageId: message.id,
      filename: attachment.filename,
      contentType: attachment.contentType,
      size: attachment.size,
      sha256: attachment.sha256,
      storageKey: attachment.storageKey,
      // One instant each, so attachments list in the order they were sent.
      createdAt: tick(),
    });
  }
  recordEvent(em, {
    type: 'message.created',
    tenantId: conversation.tenantId,
    aggregateId: message.id,
    payload: {
      messageId: message.id,
      conversationId: conversation.id,
      customerId: conversation.customerId,
      direction: message.direction,
      senderType: message.senderType,
      isInternal: message.isInternal,
      channel: message.channel,
    },
  });
  await applyMessage(em, conversation, message, actor, options);
  return message;
}

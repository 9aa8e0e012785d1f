import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';
import { channels } from '../conversations/conversation.entity.js';

export const directions = ['inbound', 'outbound'] as const;
export type Direction = (typeof directions)[number];

export const senderTypes = ['customer', 'agent', 'ai', 'system'] as const;
export type SenderType = (typeof senderTypes)[number];

export const contentTypes = ['text', 'html'] as const;
export type ContentType = (typeof contentTypes)[number];

export const deliveryStatuses = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/**
 * A message of a conversation, or an internal note (`isInternal`). Deleting is soft:
 * the content is erased, who and when are kept.
 */
export const MessageEntity = defineEntity({
  name: 'Message',
  tableName: 'messages',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    conversationId: p.uuid(),
    customerId: p.uuid(),
    channel: p.enum([...channels]),
    direction: p.enum([...directions]),
    senderType: p.enum([...senderTypes]),
    senderId: p.uuid().nullable(),
    content: p.text(),
    contentType: p.enum([...contentTypes]).default('text'),
    isInternal: p.boolean().default(false),
    aiAnnotations: p.json<Record<string, unknown>>().nullable(),
    status: p.enum([...deliveryStatuses]),
    /** The provider's id of the message (email Message-ID, WhatsApp wamid, ...). */
    externalId: p.string().length(500).nullable(),
    deletedAt: p.datetime().nullable(),
    deletedBy: p.string().length(100).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [
    { name: 'messages_conversation_created_idx', properties: ['conversationId', 'createdAt', 'id'] },
    { name: 'messages_tenant_customer_created_idx', properties: ['tenantId', 'customerId', 'createdAt'] },
    { name: 'messages_tenant_external_idx', properties: ['tenantId', 'externalId'] },
    {
      name: 'messages_content_fts_idx',
      expression: (table, columns, indexName) =>
        `create index "${indexName}" on ${table.toString()} using gin (to_tsvector('simple', "${columns.content}"))`,
    },
  ],
});
export type Message = InferEntity<typeof MessageEntity>;

/** A file attached to a message; the bytes live in the attachment storage under `storageKey`. */
export const MessageAttachmentEntity = defineEntity({
  name: 'MessageAttachment',
  tableName: 'message_attachments',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    messageId: p.uuid(),
    filename: p.string().length(255),
    contentType: p.string().length(255),
    size: p.integer(),
    sha256: p.string().length(64),
    storageKey: p.string().length(500),
    createdAt: p.datetime().onCreate(() => new Date()),
  }),
  indexes: [{ name: 'message_attachments_message_idx', properties: ['messageId'] }],
});
export type MessageAttachment = InferEntity<typeof MessageAttachmentEntity>;

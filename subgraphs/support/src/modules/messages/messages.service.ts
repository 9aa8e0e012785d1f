import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize, type Caller } from '@deskgraph/auth';
import { recordEvent, type Connection } from '@deskgraph/database';
import { ForbiddenError, NotFoundError, ValidationError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { isUuid, uuid } from '@deskgraph/validation';
import { ConversationEntity, channels } from '../conversations/conversation.entity.js';
import { actorOf, lockConversation, recordHistory, tick } from '../conversations/conversation-changes.js';
import type { PortalCustomers } from '../customers/portal-customer.js';
import { withAttachments, type AttachmentSettings } from './attachments.js';
import { cleanContent } from './message-content.js';
import { MessageRepository, type MessageListFilter } from './message.repository.js';
import { writeMessage, type MessageDraft } from './message-writer.js';
import {
  MessageAttachmentEntity,
  MessageEntity,
  contentTypes,
  directions,
  type Message,
  type MessageAttachment,
} from './message.entity.js';

export const MAX_CONTENT_LENGTH = 100_000;

export const attachmentUploadSchema = z.object({
  filename: z.string().max(1000),
  contentType: z.string().max(255).nullish(),
  base64Content: z.string(),
});

export const messageContentSchema = z
  .string()
  .max(MAX_CONTENT_LENGTH, { message: `must be at most ${MAX_CONTENT_LENGTH} characters` })
  .refine((value) => value.trim().length > 0, { message: 'is required' });

const sendMessageSchema = z.object({
  channel: z.enum(channels).nullish(),
  content: messageContentSchema,
  contentType: z.enum(contentTypes).nullish(),
  attachments: z.array(attachmentUploadSchema).nullish(),
  internal: z.boolean().nullish(),
});

const listSchema = z.object({
  conversationId: z.string(),
  limit: z.number().int().min(1, { message: 'must be between 1 and 100' }).max(100, { message: 'must be between 1 and 100' }).nullish(),
  before: uuid.nullish(),
  after: uuid.nullish(),
  channel: z.array(z.enum(channels)).nullish(),
  direction: z.array(z.enum(directions)).nullish(),
});

const conversationMessagesSchema = z.object({
  first: z.number().int().min(1, { message: 'must be between 1 and 100' }).max(100, { message: 'must be between 1 and 100' }).nullish(),
  after: uuid.nullish(),
  channel: z.array(z.enum(channels)).nullish(),
  direction: z.array(z.enum(directions)).nullish(),
  includeInternal: z.boolean().nullish(),
});

const READ = { roles: ['admin', 'agent'], scope: 'read' } as const;
const WRITE = { roles: ['admin', 'agent'], scope: 'write' } as const;

/** Sanitises content; HTML that is nothing but unsafe markup is refused. */
export function messageContent(content: string, contentType: 'text' | 'html', field = 'content'): string {
  const clean = cleanContent(content, contentType);
  if (clean.trim().length === 0) throw new ValidationError([{ field, message: 'is empty once unsafe HTML is removed' }]);
  return clean;
}

/** How other modules (tickets) call `send`: inside their transaction, as an AI response. */
export interface SendOptions {
  /** Join this unit of work (a savepoint inside the caller's transaction). */
  em?: EntityManager;
  /** AGENT (default) or AI for an agent-side message. */
  senderType?: 'agent' | 'ai';
}

/** A portal customer (an identity user with role CUSTOMER) or a web-chat visitor: their messages come INBOUND. */
function writesAsCustomer(caller: Caller): boolean {
  return caller.role === 'customer' && (caller.kind === 'user' || caller.kind === 'visitor');
}

/**
 * Messages and internal notes of conversations. Agents and admins read and write; a
 * portal customer (an identity user with role CUSTOMER) may only send messages, which come
 * INBOUND with the user's id as sender, into the conversations of the customer record their
 * email links them to (`PortalCustomers`); a web-chat visitor likewise, as their customer
 * record and into that customer's conversations only.
 */
export class MessagesService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly attachmentSettings: AttachmentSettings,
    private readonly portalCustomers: PortalCustomers,
  ) {}

  private repository(): MessageRepository {
    return new MessageRepository(this.ctx.em(), authorize(this.ctx.caller).tenantId);
  }

  /** Batched by id within the caller's tenant (deleted messages included, without content). */
  load(id: string): Promise<Message | null> {
    return this.ctx.byId(MessageEntity, id);
  }

  /** A message, unless its conversation was deleted (then it is gone like the conversation). */
  async get(id: string): Promise<Message | null> {
    authorize(this.ctx.caller, READ);
    const message = await this.load(id);
    if (!message) return null;
    return (await this.ctx.byId(ConversationEntity, message.conversationId, { deletedAt: null })) ? message : null;
  }

  /** A conversation's messages, oldest first, between message ids (000's GET …/messages). */
  async list(args: unknown): Promise<Connection<Message>> {
    authorize(this.ctx.caller, READ);
    const data = parseInput(listSchema, args);
    const conversation = await this.ctx.byId(ConversationEntity, data.conversationId, { deletedAt: null });
    if (!conversation) throw new NotFoundError('Conversation', data.conversationId);
    const cursorIds = [data.before, data.after].filter((id): id is string => typeof id === 'string');
    const cursors =
      cursorIds.length > 0 ? await this.ctx.em().find(MessageEntity, { id: { $in: cursorIds }, conversationId: conversation.id }) : [];
    const cursor = (field: 'before' | 'after', id: string | null | undefined): Message | null => {
      if (!id) return null;
      const message = cursors.find((candidate) => candidate.id === id);
      if (!message) throw new ValidationError([{ field, message: 'is not a message of this conversation' }]);
      return message;
    };
    return this.repository().window(conversation.id, filterOf(data), {
      limit: data.limit ?? 50,
      before: cursor('before', data.before),
      after: cursor('after', data.after),
    });
  }

  /** Conversation.messages, batched over the conversations of a page. */
  async forConversation(conversationId: string, args: unknown): Promise<Connection<Message>> {
    authorize(this.ctx.caller, READ);
    const data = parseInput(conversationMessagesSchema, args);
    const first = data.first ?? 50;
    const filter = filterOf(data);
    const key = `messages.forConversation:${JSON.stringify({ first, after: data.after ?? null, filter })}`;
    return this.ctx
      .loader<string, Connection<Message>>(key, async (conversationIds) => {
        let after: Message | null = null;
        if (data.after) {
          after = await this.load(data.after);
          if (!after) throw new ValidationError([{ field: 'after', message: 'is not a valid cursor' }]);
        }
        const pages = await this.repository().firstPages(conversationIds, filter, first, after);
        return conversationIds.map((id) => pages.get(id)!);
      })
      .load(conversationId);
  }

  /** A message's attachments (none once deleted), batched. */
  /** One attachment by id (downloads); attachments of deleted messages no longer exist. */
  async attachment(id: string): Promise<MessageAttachment | null> {
    authorize(this.ctx.caller, READ);
    return this.ctx.byId(MessageAttachmentEntity, id);
  }

  attachmentsOf(message: Message): Promise<MessageAttachment[]> {
    if (message.deletedAt) return Promise.resolve([]);
    return this.ctx
      .loader<string, MessageAttachment[]>('messages.attachments', async (messageIds) => {
        const byMessage = await this.repository().attachments(messageIds);
        return messageIds.map((id) => byMessage.get(id) ?? []);
      })
      .load(message.id);
  }

  /** The bytes of an attachment, base64. */
  async attachmentContent(attachment: MessageAttachment): Promise<string> {
    const content = await this.attachmentSettings.storage.get(attachment.storageKey);
    if (!content) throw new Error(`The content of attachment ${attachment.id} is missing from the storage`);
    return content.toString('base64');
  }

  /**
   * Adds a message. An agent's goes OUTBOUND and QUEUED for its channel (or is an internal
   * note, SENT and never delivered); a portal customer's comes INBOUND, and so does a web-chat
   * visitor's (sender: their customer record). Both write only into their own customer record's
   * conversations; any other, or any at all without a linked record, is NOT_FOUND. Files are
   * checked and stored first; if the transaction fails they are removed again.
   */
  async send(conversationId: string, input: unknown, options: SendOptions = {}): Promise<Message> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent', 'customer'], scope: 'write' });
    const data = parseInput(sendMessageSchema, input);
    const fromCustomer = writesAsCustomer(caller);
    // A visitor writes as their customer record; a portal user keeps their user id as sender.
    const customerSenderId = caller.kind === 'visitor' ? (caller.customerId ?? null) : caller.userId;
    if (fromCustomer && data.internal) throw new ForbiddenError('Only agents and admins write internal notes');
    if (fromCustomer && options.senderType === 'ai') throw new ForbiddenError('Only agents and admins post AI responses');
    // Customers write only into their own customer record's conversations; others are as good as absent.
    const ownCustomerId = await this.portalCustomers.actingCustomerId(caller);
    if (ownCustomerId === null) throw new NotFoundError('Conversation', conversationId);
    const contentType = data.contentType ?? 'text';
    const content = messageContent(data.content, contentType);
    const actor = actorOf(caller);
    return withAttachments(this.attachmentSettings, data.attachments ?? [], caller.tenantId, 'attachments', (prepared) =>
      (options.em ?? this.ctx.em()).transactional(async (em) => {
        const conversation = await lockConversation(em, conversationId);
        if (ownCustomerId !== undefined && conversation.customerId !== ownCustomerId) {
          throw new NotFoundError('Conversation', conversationId);
        }
        const common = { channel: data.channel ?? conversation.currentChannel, content, contentType };
        const draft: MessageDraft = fromCustomer
          ? { ...common, direction: 'inbound', senderType: 'customer', senderId: customerSenderId, isInternal: false, status: 'delivered' }
          : {
              ...common,
              direction: 'outbound',
              senderType: options.senderType ?? 'agent',
              senderId: caller.userId,
              isInternal: data.internal === true,
              status: data.internal ? 'sent' : 'queued',
            };
        return writeMessage(em, conversation, draft, prepared, actor);
      }),
    );
  }

  /**
   * Soft delete, audited: content, AI annotations and attachments are erased (files leave
   * the storage once no other message uses them), who and when are kept, the conversation
   * counts one message less and records `message_deleted`. Deleting again changes nothing.
   */
  async delete(id: string): Promise<Message> {
    const caller = authorize(this.ctx.caller, WRITE);
    const actor = actorOf(caller);
    const { message, released } = await this.ctx.em().transactional(async (em) => {
      const found = isUuid(id) ? await em.findOne(MessageEntity, { id }) : null;
      if (!found) throw new NotFoundError('Message', id);
      // Conversation first, then message: the same order as sendMessage, so the two cannot deadlock.
      const conversation = await lockConversation(em, found.conversationId);
      const message = (await em.findOne(MessageEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }))!;
      if (message.deletedAt) return { message, released: [] as string[] };
      const attachments = await em.find(MessageAttachmentEntity, { messageId: message.id });
      message.content = '';
      message.aiAnnotations = null;
      message.deletedAt = tick();
      message.deletedBy = `${actor.kind}:${actor.id ?? ''}`.slice(0, 100);
      conversation.messageCount = Math.max(0, conversation.messageCount - 1);
      recordHistory(em, conversation, 'message_deleted', actor, { messageId: message.id, attachments: attachments.length });
      recordEvent(em, {
        type: 'message.deleted',
        tenantId: message.tenantId,
        aggregateId: message.id,
        payload: { messageId: message.id, conversationId: message.conversationId, customerId: message.customerId },
      });
      for (const attachment of attachments) em.remove(attachment);
      return { message, released: attachments.map((attachment) => attachment.storageKey) };
    });
    await this.releaseFiles(released);
    return message;
  }

  /** Removes files no attachment row names any more (keys are per tenant and content). */
  private async releaseFiles(keys: readonly string[]): Promise<void> {
    for (const key of new Set(keys)) {
      const stillUsed = await this.ctx.em().count(MessageAttachmentEntity, { storageKey: key });
      if (stillUsed === 0) await this.attachmentSettings.storage.delete(key);
    }
  }
}

function filterOf(data: {
  channel?: MessageListFilter['channel'] | null;
  direction?: MessageListFilter['direction'] | null;
  includeInternal?: boolean | null;
}): MessageListFilter {
  return {
    ...(data.channel?.length ? { channel: data.channel } : {}),
    ...(data.direction?.length ? { direction: data.direction } : {}),
    ...(data.includeInternal === false ? { includeInternal: false } : {}),
  };
}

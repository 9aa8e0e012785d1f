import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize, type Caller } from '@deskgraph/auth';
import { applyChanges, recordEvent } from '@deskgraph/database';
import { ForbiddenError, NotFoundError, parseInput } from '@deskgraph/errors';
import type { DomainEvent, EventBus } from '@deskgraph/events';
import { mapStream, type RequestContext } from '@deskgraph/subgraph-kit';
import { trimmedText, uuid } from '@deskgraph/validation';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { ConversationEntity, type Conversation, type ConversationState } from '../conversations/conversation.entity.js';
import { isOpenState } from '../conversations/conversation-states.js';
import type { Message } from '../messages/message.entity.js';
import type { MessagesService } from '../messages/messages.service.js';
import { ChatChannelEntity, type ChatChannel } from './chat-channel.entity.js';
import type { ChatSessionEventView, ChatSessionView, ChatWidgetGrantView } from './chat.types.js';

const WIDGET_TOKEN_PREFIX = 'wk_';
/** Where a web-chat conversation records the chat channel it was opened through. */
export const CHAT_CHANNEL_METADATA_KEY = 'chatChannelId';
const SESSION_SUBJECT = 'Web chat';

const READ = { roles: ['admin', 'agent'], scope: 'read' } as const;
const ADMIN = { roles: ['admin'], scope: 'admin' } as const;
const VISITOR = { roles: ['customer'], scope: 'write' } as const;

const channelName = trimmedText(200).min(1, { message: 'is required' });
const createSchema = z.object({ name: channelName });
const updateSchema = z.object({ name: channelName.nullish(), isActive: z.boolean().nullish() });
const startSchema = z.object({ channelId: uuid, sessionId: z.string().max(100).nullish() });

type Visitor = Caller & { customerId: string };

/**
 * Web chat: the tenant's chat channels (widgets) and what a web-chat visitor does in their
 * session. A visitor is the gateway's `visitor` caller (role CUSTOMER, a customer record, no
 * user); a session is a WEB_CHAT conversation of that customer, and the visitor reaches no
 * other conversation. Messages, states and history stay the conversations and messages
 * modules' business: this service calls them.
 */
export class ChannelsService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
  ) {}

  /** Batched by id within the caller's tenant (agents and admins). */
  async get(id: string): Promise<ChatChannel | null> {
    authorize(this.ctx.caller, READ);
    return this.ctx.byId(ChatChannelEntity, id);
  }

  async list(): Promise<ChatChannel[]> {
    authorize(this.ctx.caller, READ);
    return this.ctx.em().find(ChatChannelEntity, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  async create(input: unknown): Promise<ChatChannel> {
    const caller = authorize(this.ctx.caller, ADMIN);
    const data = parseInput(createSchema, input);
    return this.ctx.em().transactional(async (em) => {
      const channel = em.create(ChatChannelEntity, {
        id: randomUUID(),
        tenantId: caller.tenantId,
        name: data.name,
        widgetToken: `${WIDGET_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`,
        isActive: true,
      });
      recordEvent(em, {
        type: 'chat_channel.created',
        tenantId: channel.tenantId,
        aggregateId: channel.id,
        payload: { channelId: channel.id },
      });
      return channel;
    });
  }

  /** Renames, enables or disables; disabling announces `chat_channel.disabled` (the gateway closes its connections). */
  async update(id: string, input: unknown): Promise<ChatChannel> {
    authorize(this.ctx.caller, ADMIN);
    const data = parseInput(updateSchema, input);
    return this.ctx.em().transactional(async (em) => {
      const channel = await em.findOne(ChatChannelEntity, { id: parseInput(z.object({ id: uuid }), { id }).id });
      if (!channel) throw new NotFoundError('ChatChannel', id);
      const wasActive = channel.isActive;
      const changes = applyChanges(channel, { name: data.name ?? undefined, isActive: data.isActive ?? undefined });
      if (Object.keys(changes).length === 0) return channel;
      recordEvent(em, {
        type: 'chat_channel.updated',
        tenantId: channel.tenantId,
        aggregateId: channel.id,
        payload: { channelId: channel.id, fields: Object.keys(changes) },
      });
      if (wasActive && !channel.isActive) {
        recordEvent(em, {
          type: 'chat_channel.disabled',
          tenantId: channel.tenantId,
          aggregateId: channel.id,
          payload: { channelId: channel.id },
        });
      }
      return channel;
    });
  }

  disable(id: string): Promise<ChatChannel> {
    return this.update(id, { isActive: false });
  }

  /** The channel of an active widget token, across tenants (the gateway's system caller only; null for anyone else). */
  async widgetGrant(token: string): Promise<ChatWidgetGrantView | null> {
    const caller = authorize(this.ctx.caller);
    if (caller.kind !== 'system') return null;
    if (!token.startsWith(WIDGET_TOKEN_PREFIX) || token.length > 100) return null;
    const channel = await this.orm.em.fork().findOne(ChatChannelEntity, { widgetToken: token }, { filters: false });
    if (!channel?.isActive) return null;
    return { tenantId: channel.tenantId, channelId: channel.id };
  }

  /**
   * The visitor's session on a channel: the open session `sessionId` names when it is this
   * visitor's and was started on this channel; else their latest open session there that has
   * no message yet (a page that reconnects without its session id must not leave one empty
   * conversation per connection in the agents' queue); else a new WEB_CHAT conversation.
   */
  async startSession(input: unknown): Promise<ChatSessionView> {
    const visitor = this.visitor();
    const data = parseInput(startSchema, input);
    const channel = await this.ctx.byId(ChatChannelEntity, data.channelId);
    if (!channel) throw new NotFoundError('ChatChannel', data.channelId);
    if (!channel.isActive) throw new ForbiddenError('This chat channel is disabled');
    const resumable = data.sessionId ? await this.ownConversation(visitor, data.sessionId) : null;
    if (resumable && isOpenState(resumable.state) && resumable.metadata[CHAT_CHANNEL_METADATA_KEY] === channel.id) {
      return sessionOf(resumable, channel.id, true);
    }
    const empty = await this.emptySession(visitor, channel.id);
    if (empty) return sessionOf(empty, channel.id, true);
    const conversation = await this.conversations.create(
      {
        customerId: visitor.customerId,
        channel: 'web_chat',
        subject: SESSION_SUBJECT,
        metadata: { [CHAT_CHANNEL_METADATA_KEY]: channel.id, source: 'chat_widget' },
      },
      { withoutMessage: true, byVisitor: true },
    );
    return sessionOf(conversation, channel.id, false);
  }

  /** The visitor's message: INBOUND from their customer record, on WEB_CHAT. */
  async sendMessage(sessionId: string, text: string): Promise<Message> {
    const visitor = this.visitor();
    await this.requireOwnConversation(visitor, sessionId);
    return this.messages.send(sessionId, { content: text, channel: 'web_chat' });
  }

  async requestHandover(sessionId: string): Promise<ChatSessionView> {
    const visitor = this.visitor();
    await this.requireOwnConversation(visitor, sessionId);
    const conversation = await this.conversations.requestHandover(sessionId, { byVisitor: true });
    return sessionOf(conversation, channelOf(conversation) ?? '', false);
  }

  /** Publishes the visitor's typing indicator on the bus (`conversation.typing`, userId null: the customer); never stored. */
  async setTyping(sessionId: string, isTyping: boolean): Promise<boolean> {
    const visitor = this.visitor();
    const conversation = await this.requireOwnConversation(visitor, sessionId);
    const event: DomainEvent = {
      id: randomUUID(),
      type: 'conversation.typing',
      tenantId: visitor.tenantId,
      aggregateId: conversation.id,
      source: 'support',
      occurredAt: new Date().toISOString(),
      payload: { conversationId: conversation.id, userId: null, isTyping },
    };
    await this.bus.publish(event);
    return true;
  }

  /**
   * What the visitor sees of their session, live: messages of agents, the AI and the system
   * (no internal notes, not their own), agent typing and handovers.
   */
  async sessionEvents(sessionId: string): Promise<AsyncIterableIterator<ChatSessionEventView>> {
    const visitor = this.visitor();
    const conversation = await this.requireOwnConversation(visitor, sessionId);
    const events = this.ctx.events(
      ['message.created', 'conversation.typing', 'conversation.handover_requested'],
      (event) => event.payload.conversationId === conversation.id && shownToVisitor(event),
    );
    return mapStream(events, (event): ChatSessionEventView => {
      const at = new Date(event.occurredAt);
      if (event.type === 'message.created') return { kind: 'message', sessionId, messageId: String(event.payload.messageId) };
      if (event.type === 'conversation.typing') {
        return { kind: 'typing', sessionId, agentId: String(event.payload.userId), isTyping: event.payload.isTyping === true, at };
      }
      return { kind: 'handover', sessionId, state: event.payload.to as ConversationState, at };
    });
  }

  /** A message of a live event, as the visitor may see it. */
  async eventMessage(messageId: string): Promise<Message> {
    const message = await this.messages.load(messageId);
    if (!message) throw new Error('The message of a live event no longer exists');
    return message;
  }

  /** The caller as a visitor with a customer record; FORBIDDEN for anyone else (agents use the conversations API). */
  private visitor(): Visitor {
    const caller = authorize(this.ctx.caller, VISITOR);
    if (caller.kind !== 'visitor' || !caller.customerId) throw new ForbiddenError('Only web-chat visitors have chat sessions');
    return caller as Visitor;
  }

  /**
   * The visitor's own web-chat session, or null: another customer's conversation, or one of
   * theirs that no chat channel opened (email, phone), is as absent as a missing one.
   */
  private async ownConversation(visitor: Visitor, id: string): Promise<Conversation | null> {
    const conversation = await this.ctx.byId(ConversationEntity, id, { deletedAt: null });
    if (conversation?.customerId !== visitor.customerId || !channelOf(conversation)) return null;
    return conversation;
  }

  /** The visitor's latest open session on the channel without any message yet, if any. */
  private async emptySession(visitor: Visitor, channelId: string): Promise<Conversation | null> {
    const candidates = await this.ctx
      .em()
      .find(
        ConversationEntity,
        { customerId: visitor.customerId, currentChannel: 'web_chat', messageCount: 0, deletedAt: null },
        { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 10 },
      );
    return candidates.find((conversation) => isOpenState(conversation.state) && channelOf(conversation) === channelId) ?? null;
  }

  private async requireOwnConversation(visitor: Visitor, id: string): Promise<Conversation> {
    const conversation = await this.ownConversation(visitor, id);
    if (!conversation) throw new NotFoundError('ChatSession', id);
    return conversation;
  }
}

function shownToVisitor(event: DomainEvent): boolean {
  if (event.type === 'message.created') return event.payload.isInternal !== true && event.payload.senderType !== 'customer';
  if (event.type === 'conversation.typing') return typeof event.payload.userId === 'string';
  return true;
}

/** The chat channel a session was opened through; null for conversations of other channels. */
function channelOf(conversation: Conversation): string | null {
  const channelId = conversation.metadata[CHAT_CHANNEL_METADATA_KEY];
  return typeof channelId === 'string' ? channelId : null;
}

function sessionOf(conversation: Conversation, channelId: string, resumed: boolean): ChatSessionView {
  return {
    id: conversation.id,
    customerId: conversation.customerId,
    channelId,
    state: conversation.state,
    resumed,
    startedAt: conversation.createdAt,
  };
}

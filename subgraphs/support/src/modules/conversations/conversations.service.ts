import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { applyChanges, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { isUuid, tags, trimmedText, uuid } from '@deskgraph/validation';
import { CustomerEntity, type Customer } from '../customers/customer.entity.js';
import type { TimelineConnection, TimelineEntryView } from '../customers/customer.types.js';
import type { DirectoryService } from '../directory/directory.service.js';
import { withAttachments, type AttachmentSettings } from '../messages/attachments.js';
import { plainText } from '../messages/message-content.js';
import { MessageEntity, contentTypes, senderTypes, type Message } from '../messages/message.entity.js';
import { attachmentUploadSchema, messageContent, messageContentSchema } from '../messages/messages.service.js';
import { writeMessage, type MessageDraft } from '../messages/message-writer.js';
import { actorOf, changeState, lockConversation, recordHistory, reopenConversation, tick } from './conversation-changes.js';
import { ConversationEventEntity, type ConversationEvent } from './conversation-event.entity.js';
import type { Actor } from './conversation-ownership.js';
import {
  ConversationRepository,
  type ConversationListFilter,
  type CustomerConversationStats,
  type TimelinePage,
} from './conversation.repository.js';
import {
  ConversationEntity,
  channels,
  conversationStates,
  sentiments,
  severities,
  type Conversation,
  type Severity,
} from './conversation.entity.js';

const SUBJECT_FROM_MESSAGE = 80;
const HANDOVER_REQUESTED = 'handover_requested';
const DEFAULT_CLOSURE_MESSAGE =
  'Your conversation has been resolved. If anything is still unclear, just reply to this message and we will pick it up again.';

const jsonObject = z.record(z.string(), z.unknown());
const pageSize = (max: number) =>
  z
    .number()
    .int()
    .min(1, { message: `must be between 1 and ${max}` })
    .max(max, { message: `must be between 1 and ${max}` });

const filterSchema = z.object({
  state: z.array(z.enum(conversationStates)).nullish(),
  assignedAgentId: z.string().nullish(),
  assignedTeamId: z.string().nullish(),
  severity: z.array(z.enum(severities)).nullish(),
  channel: z.array(z.enum(channels)).nullish(),
  slaBreach: z.boolean().nullish(),
  customerId: z.string().nullish(),
  tags: tags.nullish(),
  search: z.string().trim().max(200).nullish(),
  createdAfter: z.date().nullish(),
  createdBefore: z.date().nullish(),
});

const listSchema = z.object({
  first: z.number().nullish(),
  after: z.string().nullish(),
  offset: z.number().nullish(),
  filter: filterSchema.nullish(),
  sortBy: z.enum(['CREATED_AT', 'LAST_MESSAGE_AT', 'SLA_DUE_AT']).nullish(),
  sortOrder: z.enum(['ASC', 'DESC']).nullish(),
});

const initialMessageSchema = z.object({
  content: messageContentSchema,
  contentType: z.enum(contentTypes).nullish(),
  attachments: z.array(attachmentUploadSchema).nullish(),
});

const createSchema = z.object({
  customerId: uuid,
  channel: z.enum(channels),
  subject: trimmedText(500).min(1, { message: 'is required' }).nullish(),
  initialMessage: initialMessageSchema,
  initialSenderType: z.enum(senderTypes).nullish(),
  severity: z.enum(severities).nullish(),
  tags: tags.nullish(),
  intent: trimmedText(100).nullish(),
  customFields: jsonObject.nullish(),
  metadata: jsonObject.nullish(),
});

const updateSchema = z.object({
  state: z.enum(conversationStates).nullish(),
  tags: tags.nullish(),
  severity: z.enum(severities).nullish(),
  intent: trimmedText(100).nullish(),
  sentiment: z.enum(sentiments).nullish(),
  subject: trimmedText(500).min(1, { message: 'is required' }).nullish(),
  summary: trimmedText(10_000).nullish(),
  customFields: jsonObject.nullish(),
  dueAt: z.date().nullish(),
});

const assignSchema = z.object({
  agentId: uuid.nullish(),
  teamId: uuid.nullish(),
  reason: trimmedText(200).nullish(),
});

const escalateSchema = z.object({
  reason: trimmedText(2000).min(1, { message: 'is required' }),
  createResolution: z.boolean().nullish(),
  issueType: trimmedText(100).nullish(),
  priority: z.enum(severities).nullish(),
  owningTeam: trimmedText(100).nullish(),
});

const resolveSchema = z.object({
  resolutionNotes: trimmedText(10_000).nullish(),
  sendClosureMessage: z.boolean().nullish(),
  closureMessageTemplate: trimmedText(10_000).nullish(),
});

const reopenSchema = z.object({ reason: trimmedText(2000).nullish() });

const READ = { roles: ['admin', 'agent'], scope: 'read' } as const;
const WRITE = { roles: ['admin', 'agent'], scope: 'write' } as const;
const VISITOR = { roles: ['customer'], scope: 'write' } as const;

/** `createSchema` for a conversation opened without a first message (CreateOptions.withoutMessage). */
const createWithoutMessageSchema = createSchema.extend({ initialMessage: initialMessageSchema.nullish() });

type CreateInput = z.output<typeof createWithoutMessageSchema>;

/** How other modules (tickets) open conversations: inside their transaction, with more fields. */
export interface CreateOptions {
  /** Join this unit of work. */
  em?: EntityManager;
  /** Sets more fields or records more events on the new conversation, in the same transaction. */
  extend?: (em: EntityManager, conversation: Conversation) => void;
  /** Opens it without a first message (a web-chat session starts before the visitor writes). */
  withoutMessage?: boolean;
  /**
   * Opened by a web-chat visitor (the channels module) instead of an agent: the caller must be a
   * visitor whose customer record is the conversation's customer.
   */
  byVisitor?: boolean;
}

/** The more urgent of two severities (P0 is the most urgent). */
function mostUrgent(a: Severity, b: Severity): Severity {
  return severities.indexOf(a) <= severities.indexOf(b) ? a : b;
}

/**
 * Conversations: the state machine, assignment, escalation, resolution, history and the
 * lists of the 000 document. Readers and writers are agents and admins; a portal customer
 * (role CUSTOMER) reads nothing here and only sends messages (MessagesService).
 * Agent and team ids are identity's: they are checked against support's directory, the read
 * model identity's events keep (an active admin or agent, a team that exists, of the tenant).
 */
export class ConversationsService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly attachmentSettings: AttachmentSettings,
    private readonly directory: DirectoryService,
  ) {}

  private repository(): ConversationRepository {
    return new ConversationRepository(this.ctx.em(), authorize(this.ctx.caller).tenantId);
  }

  /** Batched by id within the caller's tenant; deleted conversations are null. */
  load(id: string): Promise<Conversation | null> {
    return this.ctx.byId(ConversationEntity, id, { deletedAt: null });
  }

  async get(id: string): Promise<Conversation | null> {
    authorize(this.ctx.caller, READ);
    return this.load(id);
  }

  /** The customer of a conversation (the customers module's entity), batched. */
  customerOf(conversation: Conversation): Promise<Customer | null> {
    return this.ctx.byId(CustomerEntity, conversation.customerId);
  }

  /** The conversation a message or timeline entry belongs to (agents and admins only). */
  async ofMessage(conversationId: string): Promise<Conversation> {
    authorize(this.ctx.caller, READ);
    const conversation = await this.ctx.byId(ConversationEntity, conversationId);
    if (!conversation) throw new NotFoundError('Conversation', conversationId);
    return conversation;
  }

  async list(args: unknown): Promise<Connection<Conversation>> {
    authorize(this.ctx.caller, READ);
    const data = parseInput(listSchema, args);
    const page = pageRequest(data);
    const filter = Object.fromEntries(Object.entries(data.filter ?? {}).filter(([, value]) => value !== null && value !== undefined));
    // A merged customer's conversations moved to its target: filter by the target.
    if (typeof filter.customerId === 'string' && isUuid(filter.customerId)) {
      filter.customerId = (await this.mergeTarget(filter.customerId)) ?? filter.customerId;
    }
    return this.repository().page(
      filter as ConversationListFilter,
      { field: data.sortBy ?? 'CREATED_AT', order: data.sortOrder ?? 'DESC' },
      page,
    );
  }

  /** Opens a conversation with its first message (or, with `withoutMessage`, none), in one transaction. */
  async create(input: unknown, options: CreateOptions = {}): Promise<Conversation> {
    const caller = authorize(this.ctx.caller, options.byVisitor ? VISITOR : WRITE);
    const data: CreateInput = parseInput(options.withoutMessage ? createWithoutMessageSchema : createSchema, input);
    if (options.byVisitor && (caller.kind !== 'visitor' || caller.customerId !== data.customerId)) {
      throw new ForbiddenError('A visitor opens conversations only for their own customer record');
    }
    const actor = actorOf(caller);
    const initialMessage = data.initialMessage ?? null;
    const contentType = initialMessage?.contentType ?? 'text';
    const content = initialMessage ? messageContent(initialMessage.content, contentType, 'initialMessage.content') : null;
    const fromAgent = data.initialSenderType === 'agent';
    if (data.initialSenderType && data.initialSenderType !== 'agent' && data.initialSenderType !== 'customer') {
      throw new ValidationError([{ field: 'initialSenderType', message: 'must be CUSTOMER or AGENT' }]);
    }
    return withAttachments(
      this.attachmentSettings,
      initialMessage?.attachments ?? [],
      caller.tenantId,
      'initialMessage.attachments',
      (prepared) =>
        (options.em ?? this.ctx.em()).transactional(async (em) => {
          const customer = await this.liveCustomer(em, data.customerId);
          const conversation = this.newConversation(em, caller.tenantId, customer, data, content ? plainText(content, contentType) : '');
          options.extend?.(em, conversation);
          recordHistory(em, conversation, 'created', actor, { channel: data.channel.toUpperCase(), severity: conversation.severity });
          recordEvent(em, {
            type: 'conversation.created',
            tenantId: conversation.tenantId,
            aggregateId: conversation.id,
            payload: {
              conversationId: conversation.id,
              customerId: conversation.customerId,
              channel: conversation.currentChannel,
              severity: conversation.severity,
              state: conversation.state,
            },
          });
          if (content === null) return conversation;
          const draft: MessageDraft = fromAgent
            ? {
                channel: data.channel,
                direction: 'outbound',
                senderType: 'agent',
                senderId: caller.userId,
                content,
                contentType,
                isInternal: false,
                status: 'queued',
              }
            : {
                channel: data.channel,
                direction: 'inbound',
                senderType: 'customer',
                senderId: customer.id,
                content,
                contentType,
                isInternal: false,
                status: 'delivered',
              };
          await writeMessage(em, conversation, draft, prepared, actor, { opening: true });
          return conversation;
        }),
    );
  }

  /** The customer of the tenant a new conversation belongs to; a merged customer's id leads to its target. */
  /** Where a merged customer's data went; null for a customer that was never merged. */
  private async mergeTarget(customerId: string): Promise<string | null> {
    let customer = await this.ctx.byId(CustomerEntity, customerId);
    if (!customer?.mergedIntoId) return null;
    for (let hops = 0; customer?.mergedIntoId && hops < 10; hops += 1) {
      customer = await this.ctx.em().findOne(CustomerEntity, { id: customer.mergedIntoId });
    }
    return customer?.id ?? null;
  }

  private async liveCustomer(em: EntityManager, id: string): Promise<Customer> {
    // FOR SHARE: a concurrent deleteCustomer (FOR UPDATE) waits, or this waits for it.
    const lock = { lockMode: LockMode.PESSIMISTIC_READ } as const;
    let customer = await em.findOne(CustomerEntity, { id }, lock);
    for (let hops = 0; customer?.mergedIntoId && hops < 10; hops += 1) {
      customer = await em.findOne(CustomerEntity, { id: customer.mergedIntoId }, lock);
    }
    if (!customer || customer.mergedIntoId) throw new NotFoundError('Customer', id);
    return customer;
  }

  private newConversation(em: EntityManager, tenantId: string, customer: Customer, data: CreateInput, text: string): Conversation {
    const at = tick();
    return em.create(ConversationEntity, {
      id: randomUUID(),
      tenantId,
      customerId: customer.id,
      state: 'new',
      channelsUsed: [],
      currentChannel: data.channel,
      assignedAgentId: null,
      assignedTeamId: null,
      intent: data.intent ?? null,
      severity: data.severity ?? 'P3',
      sentiment: null,
      subject: data.subject ?? (text.slice(0, SUBJECT_FROM_MESSAGE).trim() || '(no subject)'),
      summary: null,
      tags: data.tags ?? [],
      messageCount: 0,
      resolutionId: null,
      escalationReason: null,
      customFields: data.customFields ?? {},
      metadata: data.metadata ?? {},
      templateId: null,
      dueAt: null,
      slaDueAt: null,
      firstResponseAt: null,
      lastMessageAt: null,
      resolvedAt: null,
      closedAt: null,
      reopenCount: 0,
      deletedAt: null,
      deletedBy: null,
      createdAt: at,
      updatedAt: at,
    });
  }

  /**
   * Runs one change on the locked conversation, in one transaction with its history and events.
   * `byVisitor`: the caller is a web-chat visitor changing their own conversation (others are NOT_FOUND).
   */
  private async change(
    id: string,
    apply: (em: EntityManager, conversation: Conversation, actor: Actor, caller: { userId: string | null }) => Promise<void> | void,
    outer?: EntityManager,
    byVisitor = false,
  ): Promise<Conversation> {
    const caller = authorize(this.ctx.caller, byVisitor ? VISITOR : WRITE);
    const actor = actorOf(caller);
    return (outer ?? this.ctx.em()).transactional(async (em) => {
      const conversation = await lockConversation(em, id);
      if (byVisitor && (caller.kind !== 'visitor' || conversation.customerId !== caller.customerId)) {
        throw new NotFoundError('Conversation', id);
      }
      await apply(em, conversation, actor, caller);
      return conversation;
    });
  }

  /** Changes fields; a state change goes through the state machine. */
  async update(id: string, input: unknown, em?: EntityManager): Promise<Conversation> {
    const data = parseInput(updateSchema, input);
    const raw = (input ?? {}) as Record<string, unknown>;
    return this.change(
      id,
      (em, conversation, actor) => {
        const changes = applyChanges(conversation, {
          tags: data.tags ?? undefined,
          severity: data.severity ?? undefined,
          subject: data.subject ?? undefined,
          customFields: data.customFields ?? undefined,
          // Fields that may be cleared: null clears, omitted stays.
          intent: 'intent' in raw ? data.intent || null : undefined,
          sentiment: 'sentiment' in raw ? (data.sentiment ?? null) : undefined,
          summary: 'summary' in raw ? data.summary || null : undefined,
          dueAt: 'dueAt' in raw ? (data.dueAt ?? null) : undefined,
        });
        if (Object.keys(changes).length > 0) {
          recordHistory(em, conversation, 'updated', actor, { changes });
          recordEvent(em, {
            type: 'conversation.updated',
            tenantId: conversation.tenantId,
            aggregateId: conversation.id,
            payload: { conversationId: conversation.id, customerId: conversation.customerId, fields: Object.keys(changes) },
          });
        }
        if (data.state && data.state !== conversation.state) {
          if (conversation.state === 'resolved' && data.state === 'awaiting_agent') reopenConversation(em, conversation, actor, null);
          else changeState(em, conversation, data.state, actor);
        }
      },
      em,
    );
  }

  /**
   * Assigns (or, with `transfer`, moves) the conversation to an agent and/or team: a given
   * id replaces, null clears, an omitted one stays. A NEW or BOT conversation that gets
   * someone waits for an agent from then on. A given agent must be an active admin or agent of
   * the tenant and a given team one of its teams (support's directory), else VALIDATION_ERROR.
   */
  async assign(id: string, input: unknown, transfer: boolean, em?: EntityManager): Promise<Conversation> {
    authorize(this.ctx.caller, WRITE);
    const data = parseInput(assignSchema, input);
    const raw = (input ?? {}) as Record<string, unknown>;
    if (!('agentId' in raw) && !('teamId' in raw)) {
      throw new ValidationError([{ field: 'agentId', message: 'give an agentId, a teamId or both' }]);
    }
    await this.directory.requireAssignable(data);
    return this.change(
      id,
      (em, conversation, actor) => {
        if (conversation.state === 'closed') throw new ConflictError('A CLOSED conversation cannot be assigned');
        const from = { agentId: conversation.assignedAgentId, teamId: conversation.assignedTeamId };
        if ('agentId' in raw) conversation.assignedAgentId = data.agentId ?? null;
        if ('teamId' in raw) conversation.assignedTeamId = data.teamId ?? null;
        const to = { agentId: conversation.assignedAgentId, teamId: conversation.assignedTeamId };
        const reason = data.reason ?? (transfer ? 'transfer' : 'manual_assignment');
        recordHistory(em, conversation, transfer ? 'transferred' : 'assigned', actor, { from, to, reason });
        recordEvent(em, {
          type: 'conversation.assigned',
          tenantId: conversation.tenantId,
          aggregateId: conversation.id,
          payload: {
            conversationId: conversation.id,
            customerId: conversation.customerId,
            agentId: to.agentId,
            teamId: to.teamId,
            previousAgentId: from.agentId,
            previousTeamId: from.teamId,
            reason,
            transfer,
          },
        });
        if ((to.agentId || to.teamId) && (conversation.state === 'new' || conversation.state === 'bot')) {
          changeState(em, conversation, 'awaiting_agent', actor, { reason: transfer ? 'transferred' : 'assigned' });
        }
      },
      em,
    );
  }

  /**
   * Deletes (soft): the conversation leaves every list and lookup; the row, its messages and
   * history stay for audit. Deleting again answers NOT_FOUND, like any missing conversation.
   */
  async delete(id: string, em?: EntityManager): Promise<Conversation> {
    return this.change(
      id,
      (tx, conversation, actor) => {
        conversation.deletedAt = tick();
        conversation.deletedBy = `${actor.kind}:${actor.id ?? ''}`.slice(0, 100);
        recordEvent(tx, {
          type: 'conversation.deleted',
          tenantId: conversation.tenantId,
          aggregateId: conversation.id,
          payload: { conversationId: conversation.id, customerId: conversation.customerId },
        });
      },
      em,
    );
  }

  /**
   * → ESCALATED: the reason is kept, a priority raises the severity, and
   * `conversation.escalated` tells the resolutions subgraph whether to open a resolution.
   */
  async escalate(id: string, input: unknown): Promise<Conversation> {
    const data = parseInput(escalateSchema, input);
    return this.change(id, (em, conversation, actor) => {
      changeState(em, conversation, 'escalated', actor, { reason: data.reason });
      conversation.escalationReason = data.reason;
      if (data.priority) conversation.severity = mostUrgent(conversation.severity, data.priority);
      const details = {
        reason: data.reason,
        createResolution: data.createResolution ?? false,
        issueType: data.issueType ?? null,
        priority: data.priority ?? null,
        owningTeam: data.owningTeam ?? null,
      };
      recordHistory(em, conversation, 'escalated', actor, { ...details, severity: conversation.severity });
      recordEvent(em, {
        type: 'conversation.escalated',
        tenantId: conversation.tenantId,
        aggregateId: conversation.id,
        payload: { ...details, conversationId: conversation.id, customerId: conversation.customerId, severity: conversation.severity },
      });
    });
  }

  /**
   * → RESOLVED: notes become an internal note, and on request the customer gets a closing
   * message (QUEUED for the channel). `closureMessageTemplate` is the message's text
   * (message templates do not exist yet).
   */
  async resolve(id: string, input: unknown): Promise<Conversation> {
    const data = parseInput(resolveSchema, input ?? {});
    return this.change(id, async (em, conversation, actor, caller) => {
      changeState(em, conversation, 'resolved', actor);
      const base = { channel: conversation.currentChannel, contentType: 'text' as const, direction: 'outbound' as const };
      let noteId: string | null = null;
      let closureMessageId: string | null = null;
      if (data.resolutionNotes) {
        const note = await writeMessage(
          em,
          conversation,
          { ...base, senderType: 'agent', senderId: caller.userId, content: data.resolutionNotes, isInternal: true, status: 'sent' },
          [],
          actor,
          { moveState: false },
        );
        noteId = note.id;
      }
      if (data.sendClosureMessage) {
        const closure = await writeMessage(
          em,
          conversation,
          {
            ...base,
            senderType: 'system',
            senderId: null,
            content: data.closureMessageTemplate || DEFAULT_CLOSURE_MESSAGE,
            isInternal: false,
            status: 'queued',
          },
          [],
          actor,
          { moveState: false },
        );
        closureMessageId = closure.id;
      }
      recordHistory(em, conversation, 'resolved', actor, { noteId, closureMessageId });
    });
  }

  /**
   * A customer asks for a human agent (the 001 document's handover): NEW, BOT and
   * AWAITING_CUSTOMER move to AWAITING_AGENT, RESOLVED is reopened to it, AWAITING_AGENT and
   * ESCALATED stay (agents have it already), CLOSED is CONFLICT. Each request is announced as
   * `conversation.handover_requested`. `byVisitor`: asked by the web-chat visitor it belongs to.
   */
  async requestHandover(id: string, options: { byVisitor?: boolean } = {}): Promise<Conversation> {
    return this.change(
      id,
      (em, conversation, actor) => {
        const from = conversation.state;
        if (from === 'resolved') reopenConversation(em, conversation, actor, HANDOVER_REQUESTED);
        else if (from !== 'awaiting_agent' && from !== 'escalated') {
          changeState(em, conversation, 'awaiting_agent', actor, { reason: HANDOVER_REQUESTED });
        }
        recordEvent(em, {
          type: 'conversation.handover_requested',
          tenantId: conversation.tenantId,
          aggregateId: conversation.id,
          payload: {
            conversationId: conversation.id,
            customerId: conversation.customerId,
            from,
            to: conversation.state,
            requestedBy: actor.kind,
          },
        });
      },
      undefined,
      options.byVisitor === true,
    );
  }

  /** RESOLVED → AWAITING_AGENT; anything else is CONFLICT. */
  async reopen(id: string, input: unknown): Promise<Conversation> {
    const data = parseInput(reopenSchema, input ?? {});
    return this.change(id, (em, conversation, actor) => reopenConversation(em, conversation, actor, data.reason ?? null));
  }

  /** The latest message that is not an internal note, batched over a page of conversations (one statement). */
  lastMessage(conversationId: string): Promise<Message | null> {
    return this.ctx
      .loader<string, Message | null>('conversations.lastMessage', async (ids) => {
        const latest = await this.repository().lastMessages(ids);
        return ids.map((id) => latest.get(id) ?? null);
      })
      .load(conversationId);
  }

  /** Every change of a conversation, oldest first, batched. */
  history(conversationId: string): Promise<ConversationEvent[]> {
    return this.ctx
      .loader<string, ConversationEvent[]>('conversations.history', async (ids) => {
        const histories = await this.repository().histories(ids);
        return ids.map((id) => histories.get(id) ?? []);
      })
      .load(conversationId);
  }

  /** Customer.stats, one grouped statement per page of customers. */
  async customerStats(customerId: string): Promise<CustomerConversationStats> {
    authorize(this.ctx.caller, READ);
    return this.ctx
      .loader<string, CustomerConversationStats>('conversations.customerStats', async (ids) => {
        const stats = await this.repository().statsByCustomer(ids);
        return ids.map(
          (id) => stats.get(id) ?? { totalConversations: 0, openConversations: 0, avgResolutionTimeHours: null, lastContactAt: null },
        );
      })
      .load(customerId);
  }

  /** Customer.recentConversations, newest first, batched. */
  async recentOfCustomer(customerId: string, limit: number | null | undefined): Promise<Conversation[]> {
    authorize(this.ctx.caller, READ);
    const size = parseInput(z.object({ limit: pageSize(20) }), { limit: limit ?? 5 }).limit;
    return this.ctx
      .loader<string, Conversation[]>(`conversations.recent:${size}`, async (ids) => {
        const recent = await this.repository().recentByCustomer(ids, size);
        return ids.map((id) => recent.get(id) ?? []);
      })
      .load(customerId);
  }

  /** Customer.conversations, newest first, batched over the customers of a page. */
  async ofCustomer(
    customerId: string,
    args: { first?: number | null; after?: string | null; offset?: number | null },
  ): Promise<Connection<Conversation>> {
    authorize(this.ctx.caller, READ);
    const page = pageRequest(args);
    return this.ctx
      .loader<string, Connection<Conversation>>(`conversations.ofCustomer:${JSON.stringify(page)}`, async (ids) => {
        const pages = await this.repository().pagesByCustomer(ids, page);
        return ids.map((id) => pages.get(id)!);
      })
      .load(customerId);
  }

  /**
   * Customer.timeline: conversation starts, messages, notes and state changes, newest first
   * (one statement per page of customers), with what each entry names loaded in batches.
   */
  async timeline(customerId: string, args: { first?: number | null; after?: string | null }): Promise<TimelineConnection> {
    authorize(this.ctx.caller, READ);
    const { first } = parseInput(z.object({ first: pageSize(100) }), { first: args.first ?? 20 });
    const after = args.after ?? null;
    const page = await this.ctx
      .loader<string, TimelinePage>(`conversations.timeline:${JSON.stringify({ first, after })}`, async (ids) => {
        const pages = await this.repository().timelines(ids, first, after);
        return ids.map((id) => pages.get(id)!);
      })
      .load(customerId);
    const edges = await Promise.all(
      page.rows.map(async (row) => {
        const [conversation, message, event] = await Promise.all([
          this.ctx.byId(ConversationEntity, row.conversationId),
          row.messageId ? this.ctx.byId(MessageEntity, row.messageId) : null,
          row.eventId ? this.ctx.byId(ConversationEventEntity, row.eventId) : null,
        ]);
        if (!conversation) throw new Error(`Conversation ${row.conversationId} of a timeline entry is missing`);
        const node: TimelineEntryView = { id: row.id, kind: row.kind, occurredAt: row.occurredAt, conversation, message, event };
        return { cursor: row.cursor, node };
      }),
    );
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: after !== null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}

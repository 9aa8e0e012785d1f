import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { flushOrConflict, recordEvent, type Connection } from '@deskgraph/database';
import { AppError, NotFoundError, ValidationError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { isUuid, tags, trimmedText, uuid } from '@deskgraph/validation';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { channels, type Conversation } from '../conversations/conversation.entity.js';
import type { AssigneeFields, DirectoryService } from '../directory/directory.service.js';
import { attachmentUploadSchema, type MessagesService } from '../messages/messages.service.js';
import { MessageAttachmentEntity, MessageEntity, type Message, type MessageAttachment } from '../messages/message.entity.js';
import {
  channelOfTicketSource,
  severityOfTicketPriority,
  stateOfTicketStatus,
  statesOfTicketStatus,
  ticketStatusOf,
  type TicketPriority,
  type TicketSource,
  type TicketStatus,
} from './ticket-mapping.js';
import { TicketTemplateEntity, type TicketTemplate } from './ticket-template.entity.js';
import type { BulkTicketsResult } from './ticket.types.js';

const statuses = ['OPEN', 'PENDING', 'ESCALATED', 'RESOLVED', 'CLOSED'] as const satisfies readonly TicketStatus[];
const priorities = ['URGENT', 'HIGH', 'MEDIUM', 'LOW'] as const satisfies readonly TicketPriority[];
const sources = ['EMAIL', 'CHAT', 'WEB', 'PHONE', 'SOCIAL'] as const satisfies readonly TicketSource[];
const jsonObject = z.record(z.string(), z.unknown());
const MAX_BULK = 500;

const createSchema = z.object({
  customerId: uuid,
  title: trimmedText(500).nullish(),
  description: z.string().max(100_000).nullish(),
  priority: z.enum(priorities).nullish(),
  source: z.enum(sources).nullish(),
  channel: z.enum(channels).nullish(),
  assigneeId: uuid.nullish(),
  teamId: uuid.nullish(),
  tags: tags.nullish(),
  customFields: jsonObject.nullish(),
  metadata: jsonObject.nullish(),
  attachments: z.array(attachmentUploadSchema).nullish(),
  templateId: z.string().nullish(),
  dueDate: z.date().nullish(),
});

const updateSchema = z.object({
  status: z.enum(statuses).nullish(),
  priority: z.enum(priorities).nullish(),
  assigneeId: uuid.nullish(),
  title: trimmedText(500).min(1, { message: 'is required' }).nullish(),
  tags: tags.nullish(),
  customFields: jsonObject.nullish(),
  internalNote: z.string().max(100_000).nullish(),
  dueDate: z.date().nullish(),
});
type UpdateInput = z.output<typeof updateSchema>;

const commentSchema = z.object({
  content: z.string(),
  isPrivate: z.boolean().nullish(),
  type: z.enum(['AI', 'HUMAN']).nullish(),
  attachments: z.array(attachmentUploadSchema).nullish(),
  metadata: jsonObject.nullish(),
});

const bulkSchema = z.object({
  ticketIds: z
    .array(z.string())
    .min(1, { message: 'needs at least one ticket' })
    .max(MAX_BULK, { message: `at most ${MAX_BULK} tickets` }),
  operation: z.enum(['UPDATE', 'DELETE', 'ASSIGN']),
  update: updateSchema.nullish(),
  assigneeId: uuid.nullish(),
  teamId: uuid.nullish(),
});

const templateSchema = z.object({
  name: trimmedText(200).min(1, { message: 'is required' }),
  title: trimmedText(500).nullish(),
  description: z.string().max(100_000).nullish(),
  priority: z.enum(priorities).nullish(),
  tags: tags.nullish(),
  customFields: jsonObject.nullish(),
  teamId: uuid.nullish(),
  assigneeId: uuid.nullish(),
  dueInHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .nullish(),
});

/** Ticket inputs name the agent `assigneeId`. */
const TICKET_FIELDS: AssigneeFields = { agentId: 'assigneeId', teamId: 'teamId' };

const READ = { roles: ['admin', 'agent'], scope: 'read' } as const;
const WRITE = { roles: ['admin', 'agent'], scope: 'write' } as const;

/**
 * Tickets (002, 004) as a view of conversations: every operation is a conversation or
 * message operation in the ticket documents' words, in one transaction, plus the
 * `ticket.created` / `ticket.updated` events the ticket documents' webhooks announce.
 */
export class TicketsService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly directory: DirectoryService,
  ) {}

  get(id: string): Promise<Conversation | null> {
    return this.conversations.get(id);
  }

  list(args: {
    first?: number | null;
    after?: string | null;
    offset?: number | null;
    filter?: Record<string, unknown> | null;
  }): Promise<Connection<Conversation>> {
    const filter = args.filter ?? {};
    const status = filter.status as TicketStatus[] | null | undefined;
    const priority = filter.priority as TicketPriority[] | null | undefined;
    return this.conversations.list({
      first: args.first,
      after: args.after,
      offset: args.offset,
      filter: {
        state: status?.length ? [...new Set(status.flatMap(statesOfTicketStatus))] : null,
        severity: priority?.length ? priority.map(severityOfTicketPriority) : null,
        assignedAgentId: filter.assigneeId,
        customerId: filter.customerId,
        createdAfter: filter.createdAfter,
        createdBefore: filter.createdBefore,
        tags: filter.tags,
        search: filter.search,
      },
      sortBy: 'CREATED_AT',
      sortOrder: 'DESC',
    });
  }

  /**
   * Opens a ticket: template defaults, then the conversation with its first message, assignment
   * and due date. A given assignee or team must be assignable (VALIDATION_ERROR otherwise); a
   * template's default that no longer is (a deactivated agent, a deleted team) is left out.
   */
  async create(input: unknown): Promise<Conversation> {
    const caller = authorize(this.ctx.caller, WRITE);
    const data = parseInput(createSchema, input);
    const template = data.templateId ? await this.template(data.templateId) : null;
    const defaultAgent = template?.assignedAgentId ?? null;
    const defaultTeam = template?.assignedTeamId ?? null;
    const [, defaultAgentOk, defaultTeamOk] = await Promise.all([
      this.directory.requireAssignable({ agentId: data.assigneeId, teamId: data.teamId }, TICKET_FIELDS),
      defaultAgent && !data.assigneeId ? this.directory.isAssignableAgent(defaultAgent) : false,
      defaultTeam && !data.teamId ? this.directory.isAssignableTeam(defaultTeam) : false,
    ]);
    const title = data.title ?? template?.subject ?? null;
    const description = data.description?.trim() || template?.description || title;
    if (!description) throw new ValidationError([{ field: 'description', message: 'is required (or give a title)' }]);
    const priority = data.priority ? severityOfTicketPriority(data.priority) : (template?.severity ?? 'P2');
    const dueAt = data.dueDate ?? (template?.dueInHours ? new Date(Date.now() + template.dueInHours * 3_600_000) : null);
    const agentId = data.assigneeId ?? (defaultAgentOk ? defaultAgent : null);
    const teamId = data.teamId ?? (defaultTeamOk ? defaultTeam : null);
    return this.ctx.em().transactional(async (em) => {
      const conversation = await this.conversations.create(
        {
          customerId: data.customerId,
          channel: data.channel ?? channelOfTicketSource(data.source ?? 'WEB'),
          subject: title,
          initialMessage: { content: description, contentType: 'text', attachments: data.attachments },
          severity: priority,
          tags: [...new Set([...(template?.tags ?? []), ...(data.tags ?? [])])],
          customFields: { ...template?.customFields, ...data.customFields },
          metadata: data.metadata,
        },
        {
          em,
          extend: (tx, created) => {
            created.dueAt = dueAt;
            created.templateId = template?.id ?? null;
          },
        },
      );
      if (agentId || teamId) await this.conversations.assign(conversation.id, { agentId, teamId, reason: 'ticket_created' }, false, em);
      recordEvent(em, {
        type: 'ticket.created',
        tenantId: caller.tenantId,
        aggregateId: conversation.id,
        payload: {
          ticketID: conversation.id,
          customerID: conversation.customerId,
          issue: conversation.subject,
          priority: conversation.severity,
          templateId: template?.id ?? null,
        },
      });
      return conversation;
    });
  }

  async update(id: string, input: unknown): Promise<Conversation> {
    authorize(this.ctx.caller, WRITE);
    const data = parseInput(updateSchema, input);
    const raw = (input ?? {}) as Record<string, unknown>;
    if ('assigneeId' in raw) await this.directory.requireAssignable({ agentId: data.assigneeId }, TICKET_FIELDS);
    return this.ctx.em().transactional((em) => this.apply(em, id, data, raw));
  }

  async delete(id: string): Promise<boolean> {
    authorize(this.ctx.caller, WRITE);
    await this.conversations.delete(id);
    return true;
  }

  /** A comment (004) or response (002): a message of the ticket's conversation. */
  async comment(ticketId: string, input: unknown): Promise<Message> {
    const data = parseInput(commentSchema, input);
    return this.messages.send(
      ticketId,
      { content: data.content, internal: data.isPrivate ?? false, attachments: data.attachments },
      { senderType: data.type === 'AI' ? 'ai' : 'agent' },
    );
  }

  /**
   * Many tickets, one transaction: each ticket's change runs in a savepoint, so one that
   * fails (unknown, another tenant's, an illegal move) is reported and left as it was while
   * the others are changed together. The agent and team are the same for every ticket: one
   * that cannot be assigned is a VALIDATION_ERROR of the request, before anything is written.
   */
  async bulk(input: unknown): Promise<BulkTicketsResult> {
    authorize(this.ctx.caller, WRITE);
    const data = parseInput(bulkSchema, input);
    if (data.operation === 'UPDATE' && !data.update) throw new ValidationError([{ field: 'update', message: 'is required for UPDATE' }]);
    if (data.operation === 'ASSIGN' && data.assigneeId === undefined && data.teamId === undefined) {
      throw new ValidationError([{ field: 'assigneeId', message: 'give an assigneeId, a teamId or both for ASSIGN' }]);
    }
    const rawUpdate = ((input as { update?: Record<string, unknown> } | null)?.update ?? {}) as Record<string, unknown>;
    if (data.operation === 'ASSIGN') {
      await this.directory.requireAssignable({ agentId: data.assigneeId, teamId: data.teamId }, TICKET_FIELDS);
    } else if (data.operation === 'UPDATE' && 'assigneeId' in rawUpdate) {
      await this.directory.requireAssignable({ agentId: data.update!.assigneeId }, { agentId: 'update.assigneeId', teamId: 'teamId' });
    }
    const results: BulkTicketsResult['results'] = [];
    await this.ctx.em().transactional(async (em) => {
      for (const ticketId of data.ticketIds) {
        try {
          if (!isUuid(ticketId)) throw new NotFoundError('Ticket', ticketId);
          await em.transactional(async (item) => {
            if (data.operation === 'DELETE') await this.conversations.delete(ticketId, item);
            else if (data.operation === 'ASSIGN') {
              const assignment = Object.fromEntries(
                Object.entries({ agentId: data.assigneeId, teamId: data.teamId }).filter(([, value]) => value !== undefined),
              );
              const assigned = await this.conversations.assign(ticketId, { ...assignment, reason: 'bulk_assign' }, false, item);
              this.recordUpdated(item, assigned, ['assigneeId']);
            } else await this.apply(item, ticketId, data.update!, rawUpdate);
          });
          results.push({ ticketId, success: true, error: null });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({ ticketId, success: false, error: { code: error.code, message: error.message } });
        }
      }
    });
    const succeeded = results.filter((result) => result.success).length;
    return { results, succeeded, failed: results.length - succeeded };
  }

  /** The messages of a ticket's conversation, oldest first, deleted ones excluded (batched over a page). */
  messagesOf(conversationId: string): Promise<Message[]> {
    return this.ctx
      .loader<string, Message[]>('tickets.messages', async (ids) => {
        const messages = await this.ctx
          .em()
          .find(MessageEntity, { conversationId: { $in: [...ids] }, deletedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
        return ids.map((id) => messages.filter((message) => message.conversationId === id));
      })
      .load(conversationId);
  }

  /** Every file attached to a ticket's messages (batched over a page). */
  attachmentsOf(conversationId: string): Promise<MessageAttachment[]> {
    return this.ctx
      .loader<string, MessageAttachment[]>('tickets.attachments', async (ids) => {
        const messages = (await Promise.all(ids.map((id) => this.messagesOf(id)))).flat();
        const attachments = messages.length
          ? await this.ctx
              .em()
              .find(
                MessageAttachmentEntity,
                { messageId: { $in: messages.map((message) => message.id) } },
                { orderBy: { createdAt: 'asc' } },
              )
          : [];
        const conversationOf = new Map(messages.map((message) => [message.id, message.conversationId]));
        return ids.map((id) => attachments.filter((attachment) => conversationOf.get(attachment.messageId) === id));
      })
      .load(conversationId);
  }

  /** A template of the caller's tenant by id, batched; null when there is none. */
  loadTemplate(id: string): Promise<TicketTemplate | null> {
    authorize(this.ctx.caller, READ);
    return this.ctx.byId(TicketTemplateEntity, id);
  }

  templates(): Promise<TicketTemplate[]> {
    authorize(this.ctx.caller, READ);
    return this.ctx.em().find(TicketTemplateEntity, {}, { orderBy: { name: 'asc', id: 'asc' } });
  }

  async createTemplate(input: unknown): Promise<TicketTemplate> {
    const caller = authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const data = parseInput(templateSchema, input);
    await this.directory.requireAssignable({ agentId: data.assigneeId, teamId: data.teamId }, TICKET_FIELDS);
    const em = this.ctx.em();
    const template = em.create(TicketTemplateEntity, {
      id: randomUUID(),
      tenantId: caller.tenantId,
      name: data.name,
      subject: data.title ?? null,
      description: data.description ?? null,
      severity: data.priority ? severityOfTicketPriority(data.priority) : null,
      tags: data.tags ?? [],
      customFields: data.customFields ?? {},
      assignedTeamId: data.teamId ?? null,
      assignedAgentId: data.assigneeId ?? null,
      dueInHours: data.dueInHours ?? null,
    });
    await flushOrConflict(em, 'A ticket template with this name already exists');
    return template;
  }

  /** The changes of one ticket update, inside the caller's transaction. */
  private async apply(em: EntityManager, id: string, data: UpdateInput, raw: Record<string, unknown>): Promise<Conversation> {
    const fields: Record<string, unknown> = {};
    if (data.status) fields.state = stateOfTicketStatus(data.status);
    if (data.priority) fields.severity = severityOfTicketPriority(data.priority);
    if (data.title) fields.subject = data.title;
    if (data.tags) fields.tags = data.tags;
    if (data.customFields) fields.customFields = data.customFields;
    if ('dueDate' in raw) fields.dueAt = data.dueDate ?? null;
    let conversation = await this.conversations.update(id, fields, em);
    if ('assigneeId' in raw)
      conversation = await this.conversations.assign(id, { agentId: data.assigneeId ?? null, reason: 'ticket_update' }, false, em);
    if (data.internalNote?.trim()) await this.messages.send(id, { content: data.internalNote, internal: true }, { em });
    this.recordUpdated(em, conversation, Object.keys(raw));
    return conversation;
  }

  /** `ticket.updated` in the 002 document's webhook words (`ticketID`, `status`, `agentID`). */
  private recordUpdated(em: EntityManager, conversation: Conversation, fields: string[]): void {
    recordEvent(em, {
      type: 'ticket.updated',
      tenantId: conversation.tenantId,
      aggregateId: conversation.id,
      payload: { ticketID: conversation.id, status: ticketStatusOf(conversation.state), agentID: conversation.assignedAgentId, fields },
    });
  }

  private async template(id: string): Promise<TicketTemplate> {
    const template = await this.ctx.byId(TicketTemplateEntity, id);
    if (!template) throw new ValidationError([{ field: 'templateId', message: `ticket template ${id} does not exist` }]);
    return template;
  }
}

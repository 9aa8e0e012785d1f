import { NotFoundError, ValidationError } from '@deskgraph/errors';
import { pick } from '../identity-shapes.js';
import { integerParam, listParam, pagePagination, stringParam } from '../query-params.js';
import { route, type RestRequest } from '../route.js';
import { attachmentInputs, restEnum } from '../support-shapes.js';

/**
 * Tickets of the 002 (AutoCRM) and 004 (Sociamatic) documents, which share `/api/v1/tickets`.
 * One ticket shape carries both documents' field names (`customerId` and `customerID`,
 * `assigneeId` and `agentID`, `title` and `issue`), so each client finds what it expects.
 */

/** What a list shows of each ticket: the 004 data structure, without history and notes (they stay on the ticket). */
const TICKET_SUMMARY_FIELDS = /* GraphQL */ `
  fragment RestTicketSummary on Ticket {
    id
    title
    description
    status
    state
    priority
    customerId
    assigneeId
    teamId
    source
    channel
    tags
    customFields
    metadata
    dueDate
    createdAt
    updatedAt
    attachments {
      url
    }
  }
`;

/** A whole ticket: what a list shows, with every attachment's details, internal notes, history and AI suggestions. */
const TICKET_FIELDS = /* GraphQL */ `
  fragment RestTicket on Ticket {
    ...RestTicketSummary
    attachments {
      id
      filename
      contentType
      size
      url
    }
    internalNotes {
      id
      content
      authorType
      authorId
      createdAt
    }
    history {
      id
      type
      actorKind
      actorId
      data
      createdAt
    }
    aiSuggestions {
      type
      content
      confidence
      source
    }
  }
  ${TICKET_SUMMARY_FIELDS}
`;

const COMMENT_FIELDS = 'id content isPrivate type authorType authorId createdAt attachments { id filename contentType size url }';

interface TicketData {
  id: string;
  title: string;
  description: string;
  status: string;
  state: string;
  priority: string;
  customerId: string;
  assigneeId: string | null;
  teamId: string | null;
  source: string;
  channel: string;
  tags: string[];
  customFields: Record<string, unknown>;
  metadata: Record<string, unknown>;
  dueDate: string | null;
  createdAt: string;
  updatedAt: string;
  attachments: { id?: string; filename?: string; contentType?: string; size?: number; url: string }[];
  internalNotes?: { id: string; content: string; authorType: string; authorId: string | null; createdAt: string }[];
  history?: { id: string; type: string; actorKind: string; actorId: string | null; data: Record<string, unknown>; createdAt: string }[];
  aiSuggestions?: unknown[];
}

interface CommentData {
  id: string;
  content: string;
  isPrivate: boolean;
  type: string;
  authorType: string;
  authorId: string | null;
  createdAt: string;
  attachments: TicketData['attachments'];
}

function presentTicket(ticket: TicketData) {
  return {
    id: ticket.id,
    title: ticket.title,
    issue: ticket.title,
    description: ticket.description,
    status: restEnum(ticket.status),
    state: restEnum(ticket.state),
    priority: restEnum(ticket.priority),
    customerId: ticket.customerId,
    customerID: ticket.customerId,
    assigneeId: ticket.assigneeId,
    agentID: ticket.assigneeId,
    teamId: ticket.teamId,
    source: restEnum(ticket.source),
    channel: restEnum(ticket.channel),
    tags: ticket.tags,
    customFields: ticket.customFields,
    metadata: ticket.metadata,
    dueDate: ticket.dueDate,
    attachments: ticket.attachments,
    ...(ticket.internalNotes
      ? {
          internalNotes: ticket.internalNotes.map((note) => ({
            id: note.id,
            content: note.content,
            author: note.authorId,
            visibility: 'internal',
            created_at: note.createdAt,
          })),
        }
      : {}),
    ...(ticket.history ? { history: ticket.history.map((entry) => ({ ...entry, type: restEnum(entry.type) })) } : {}),
    ...(ticket.aiSuggestions ? { aiSuggestions: ticket.aiSuggestions } : {}),
    createdAt: ticket.createdAt,
    updatedAt: ticket.updatedAt,
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
  };
}

function presentComment(comment: CommentData) {
  return {
    id: comment.id,
    content: comment.content,
    isPrivate: comment.isPrivate,
    isInternal: comment.isPrivate,
    type: restEnum(comment.type),
    authorType: comment.authorType,
    authorId: comment.authorId,
    attachments: comment.attachments,
    createdAt: comment.createdAt,
  };
}

/** Status words of both documents (and common synonyms) as TicketStatus. */
const STATUSES: Record<string, string> = {
  open: 'OPEN',
  new: 'OPEN',
  in_progress: 'OPEN',
  pending: 'PENDING',
  waiting: 'PENDING',
  on_hold: 'PENDING',
  escalated: 'ESCALATED',
  resolved: 'RESOLVED',
  solved: 'RESOLVED',
  closed: 'CLOSED',
};

/** Priority words (004: high|medium|low; 002: any string) as TicketPriority. */
const PRIORITIES: Record<string, string> = {
  urgent: 'URGENT',
  critical: 'URGENT',
  p0: 'URGENT',
  high: 'HIGH',
  p1: 'HIGH',
  medium: 'MEDIUM',
  normal: 'MEDIUM',
  p2: 'MEDIUM',
  low: 'LOW',
  p3: 'LOW',
};

const SOURCES: Record<string, string> = { email: 'EMAIL', chat: 'CHAT', web: 'WEB', phone: 'PHONE', social: 'SOCIAL' };

function word(table: Record<string, string>, field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const mapped = typeof value === 'string' ? table[value.trim().toLowerCase()] : undefined;
  if (!mapped) throw new ValidationError([{ field, message: `must be one of ${Object.keys(table).join(', ')}` }]);
  return mapped;
}

/** 002 bodies name `customerID`/`issue`/`agentID`; 004 bodies `customerId`/`title`/`assigneeId`. */
function createTicketInput(body: Record<string, unknown>) {
  const input = pick(body, ['tags', 'customFields', 'metadata', 'templateId', 'teamId', 'dueDate']);
  input.customerId = body.customerId ?? body.customerID;
  const title = body.title ?? (body.description === undefined ? undefined : body.issue);
  if (title !== undefined) input.title = title;
  const description = body.description ?? (body.title === undefined ? body.issue : undefined);
  if (description !== undefined) input.description = description;
  const assignee = body.assigneeId ?? body.agentID;
  if (assignee !== undefined) input.assigneeId = assignee;
  if (body.priority !== undefined) input.priority = word(PRIORITIES, 'priority', body.priority);
  if (body.source !== undefined) input.source = word(SOURCES, 'source', body.source);
  if (body.attachments !== undefined) input.attachments = attachmentInputs(body.attachments);
  return input;
}

function updateTicketInput(body: Record<string, unknown>) {
  const input = pick(body, ['tags', 'customFields', 'title', 'dueDate']);
  if ('status' in body) input.status = word(STATUSES, 'status', body.status);
  if ('priority' in body) input.priority = word(PRIORITIES, 'priority', body.priority);
  if ('assigneeId' in body || 'agentID' in body) input.assigneeId = body.assigneeId ?? body.agentID ?? null;
  const notes = body.internalNotes ?? body.internalNote;
  if (typeof notes === 'string' && notes.trim() !== '') input.internalNote = notes;
  return input;
}

/** 004's `dateRange`: `from,to` or `from..to`, each an ISO date; either side may be empty. */
function dateRange(query: Record<string, unknown>): { createdAfter?: string; createdBefore?: string } {
  const raw = stringParam(query, 'dateRange');
  if (!raw) return {};
  const [from, to] = raw.split(/,|\.\./).map((part) => part.trim());
  const valid = (value: string | undefined) => !value || !Number.isNaN(Date.parse(value));
  if (!valid(from) || !valid(to)) throw new ValidationError([{ field: 'dateRange', message: 'must be "from,to" with ISO dates' }]);
  return {
    ...(from ? { createdAfter: new Date(from).toISOString() } : {}),
    ...(to ? { createdBefore: new Date(Date.parse(to) + (to.length <= 10 ? 86_400_000 : 0)).toISOString() } : {}),
  };
}

function ticketPage(request: RestRequest) {
  const page = integerParam(request.query, 'page', { min: 1, max: 1_000_000, fallback: 1 });
  const limit = integerParam(request.query, 'limit', { min: 1, max: 100, fallback: 20 });
  return { page, limit };
}

function found<T>(value: T | null, id: string | undefined): T {
  if (value === null) throw new NotFoundError('Ticket', id);
  return value;
}

const BULK_OPERATIONS: Record<string, string> = { update: 'UPDATE', delete: 'DELETE', assign: 'ASSIGN' };

export const ticketRoutes = [
  route<{ createTicket: TicketData }>({
    method: 'post',
    path: '/api/v1/tickets',
    family: '004',
    status: 201,
    operation: `mutation RestCreateTicket($input: CreateTicketInput!) { createTicket(input: $input) { ...RestTicket } } ${TICKET_FIELDS}`,
    variables: ({ body }) => ({ input: createTicketInput(body) }),
    respond: (data) => ({ body: presentTicket(data.createTicket) }),
  }),
  route<{ tickets: { totalCount: number; nodes: TicketData[] } }>({
    method: 'get',
    path: '/api/v1/tickets',
    family: '004',
    operation: `query RestTickets($first: Int, $offset: Int, $filter: TicketFilter) {
      tickets(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ...RestTicketSummary } }
    } ${TICKET_SUMMARY_FIELDS}`,
    variables: (request) => {
      const { page, limit } = ticketPage(request);
      return {
        first: limit,
        offset: (page - 1) * limit,
        filter: {
          status: listParam(request.query, 'status')?.map((status) => word(STATUSES, 'status', status)),
          priority: listParam(request.query, 'priority')?.map((priority) => word(PRIORITIES, 'priority', priority)),
          assigneeId: stringParam(request.query, 'assigneeId'),
          customerId: stringParam(request.query, 'customerId'),
          tags: listParam(request.query, 'tags'),
          search: stringParam(request.query, 'search'),
          ...dateRange(request.query),
        },
      };
    },
    respond: (data, request) => {
      const { page, limit } = ticketPage(request);
      return { body: data.tickets.nodes.map(presentTicket), pagination: pagePagination(data.tickets.totalCount, page, limit) };
    },
  }),
  route<{ ticket: TicketData | null }>({
    method: 'get',
    path: '/api/v1/tickets/:id',
    family: '004',
    operation: `query RestTicket($id: ID!) { ticket(id: $id) { ...RestTicket } } ${TICKET_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: presentTicket(found(data.ticket, params.id)) }),
  }),
  route<{ updateTicket: TicketData }>({
    method: 'put',
    path: '/api/v1/tickets/:id',
    family: '004',
    operation: `mutation RestUpdateTicket($id: ID!, $input: UpdateTicketInput!) { updateTicket(id: $id, input: $input) { ...RestTicket } } ${TICKET_FIELDS}`,
    variables: ({ params, body }) => ({ id: params.id, input: updateTicketInput(body) }),
    respond: (data) => ({ body: presentTicket(data.updateTicket) }),
  }),
  route<{ deleteTicket: boolean }>({
    method: 'delete',
    path: '/api/v1/tickets/:id',
    family: '004',
    operation: `mutation RestDeleteTicket($id: ID!) { deleteTicket(id: $id) }`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: { id: params.id, deleted: data.deleteTicket } }),
  }),
  route<{ addTicketComment: CommentData }>({
    method: 'post',
    path: '/api/v1/tickets/:id/comments',
    family: '004',
    status: 201,
    operation: `mutation RestTicketComment($id: ID!, $input: AddTicketCommentInput!) { addTicketComment(ticketId: $id, input: $input) { ${COMMENT_FIELDS} } }`,
    variables: ({ params, body }) => ({
      id: params.id,
      input: {
        content: body.content,
        ...('isPrivate' in body ? { isPrivate: body.isPrivate } : {}),
        ...('attachments' in body ? { attachments: attachmentInputs(body.attachments) } : {}),
      },
    }),
    respond: (data) => ({ body: presentComment(data.addTicketComment) }),
  }),
  route<{ addTicketComment: CommentData }>({
    method: 'post',
    path: '/api/v1/tickets/:id/responses',
    family: '002',
    status: 201,
    operation: `mutation RestTicketResponse($id: ID!, $input: AddTicketCommentInput!) { addTicketComment(ticketId: $id, input: $input) { ${COMMENT_FIELDS} } }`,
    variables: ({ params, body }) => ({
      id: params.id,
      input: {
        content: body.content,
        ...('isInternal' in body ? { isPrivate: body.isInternal } : {}),
        ...('type' in body ? { type: typeof body.type === 'string' ? body.type.toUpperCase() : body.type } : {}),
        ...('metadata' in body ? { metadata: body.metadata } : {}),
      },
    }),
    respond: (data) => ({ body: presentComment(data.addTicketComment) }),
  }),
  route<{
    bulkTickets: {
      succeeded: number;
      failed: number;
      results: { ticketId: string; success: boolean; error: { code: string; message: string } | null }[];
    };
  }>({
    method: 'post',
    path: '/api/v1/tickets/bulk',
    family: '002',
    operation: `mutation RestBulkTickets($input: BulkTicketsInput!) {
      bulkTickets(input: $input) { succeeded failed results { ticketId success error { code message } } }
    }`,
    variables: ({ body }) => {
      const operation = word(BULK_OPERATIONS, 'operation', body.operation);
      const data = (body.data ?? {}) as Record<string, unknown>;
      return {
        input: {
          ticketIds: body.ticketIds,
          operation,
          ...(operation === 'UPDATE' ? { update: updateTicketInput(data) } : {}),
          ...(operation === 'ASSIGN'
            ? pick({ assigneeId: data.assigneeId ?? data.agentID, teamId: data.teamId }, ['assigneeId', 'teamId'])
            : {}),
        },
      };
    },
    respond: (data) => ({ body: data.bulkTickets }),
  }),
];

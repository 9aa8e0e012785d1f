import { NotFoundError } from '@deskgraph/errors';
import { pick } from '../identity-shapes.js';
import { booleanParam, integerParam, listParam, pageParams, pagePagination, stringParam } from '../query-params.js';
import { route, type RestRequest } from '../route.js';
import {
  CONVERSATION_FIELDS,
  CUSTOMER_FIELDS,
  MESSAGE_FIELDS,
  attachmentInputs,
  customerInput,
  graphqlEnum,
  graphqlEnums,
  presentConversation,
  presentCustomer,
  presentMessage,
  restEnum,
  type ConversationData,
  type CustomerData,
  type CustomerStatsData,
  type MessageData,
} from '../support-shapes.js';

/** The 000 document's customers, conversations and messages under `/v1`. */

interface Connection<T> {
  totalCount: number;
  nodes: T[];
}

function found<T>(value: T | null, resource: string, id: string | undefined): T {
  if (value === null) throw new NotFoundError(resource, id);
  return value;
}

const STATS = 'stats { totalConversations openConversations avgResolutionTimeHours lastContactAt }';
const RECENT = `recentConversations(limit: 5) { ...RestConversation }`;

function customerListVariables(request: RestRequest) {
  const { first, offset } = pageParams(request.query);
  const status = stringParam(request.query, 'status');
  return {
    first,
    offset,
    filter: {
      search: stringParam(request.query, 'search'),
      slaTier: stringParam(request.query, 'slaTier'),
      tags: listParam(request.query, 'tags'),
      segments: listParam(request.query, 'segments'),
      status: status && graphqlEnum(status),
      organizationId: stringParam(request.query, 'organizationId'),
    },
  };
}

const SORT_FIELDS: Record<string, string> = { created_at: 'CREATED_AT', last_message_at: 'LAST_MESSAGE_AT', sla_due_at: 'SLA_DUE_AT' };

function conversationListVariables(request: RestRequest) {
  const { first, offset } = pageParams(request.query);
  const sortBy = stringParam(request.query, 'sortBy');
  const sortOrder = stringParam(request.query, 'sortOrder');
  return {
    first,
    offset,
    sortBy: sortBy === undefined ? undefined : (SORT_FIELDS[sortBy] ?? sortBy),
    sortOrder: sortOrder && graphqlEnum(sortOrder),
    filter: {
      state: graphqlEnums(listParam(request.query, 'state')),
      assignedAgentId: stringParam(request.query, 'assignedAgentId'),
      assignedTeamId: stringParam(request.query, 'assignedTeamId'),
      severity: graphqlEnums(listParam(request.query, 'severity')),
      channel: graphqlEnums(listParam(request.query, 'channel')),
      slaBreach: booleanParam(request.query, 'slaBreach'),
      customerId: stringParam(request.query, 'customerId'),
      tags: listParam(request.query, 'tags'),
      search: stringParam(request.query, 'search'),
    },
  };
}

const conversationInput = (body: Record<string, unknown>) => {
  const input = pick(body, ['tags', 'intent', 'subject', 'summary', 'customFields', 'dueAt']);
  for (const key of ['state', 'severity', 'sentiment']) if (key in body) input[key] = graphqlEnum(body[key]);
  return input;
};

const assignment = (body: Record<string, unknown>) => pick(body, ['agentId', 'teamId', 'reason']);

function conversationMutation(name: string, inputType: string, path: string, input: (body: Record<string, unknown>) => unknown) {
  return route<Record<string, ConversationData>>({
    method: 'post',
    path: `/v1/conversations/:id/${path}`,
    family: '000',
    operation: `mutation Rest${inputType}($id: ID!, $input: ${inputType}Input!) { ${name}(id: $id, input: $input) { ...RestConversation } } ${CONVERSATION_FIELDS}`,
    variables: ({ params, body }) => ({ id: params.id, input: input(body) }),
    respond: (data) => ({ body: presentConversation(data[name]!) }),
  });
}

export const omnichannelSupportRoutes = [
  route<{ customers: Connection<CustomerData> }>({
    method: 'get',
    path: '/v1/customers',
    family: '000',
    operation: `query RestCustomers($first: Int, $offset: Int, $filter: CustomerFilter) {
      customers(first: $first, offset: $offset, filter: $filter) { totalCount nodes { ...RestCustomer } }
    } ${CUSTOMER_FIELDS}`,
    variables: customerListVariables,
    respond: (data, request) => {
      const { page, pageSize } = pageParams(request.query);
      return {
        body: data.customers.nodes.map((customer) => presentCustomer(customer)),
        pagination: pagePagination(data.customers.totalCount, page, pageSize),
      };
    },
  }),
  route<{ customer: (CustomerData & { stats: CustomerStatsData; recentConversations: ConversationData[] }) | null }>({
    method: 'get',
    path: '/v1/customers/:id',
    family: '000',
    operation: `query RestCustomer($id: ID!) { customer(id: $id) { ...RestCustomer ${STATS} ${RECENT} } } ${CUSTOMER_FIELDS} ${CONVERSATION_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => {
      const customer = found(data.customer, 'Customer', params.id);
      return {
        body: presentCustomer(customer, {
          stats: customer.stats,
          recentConversations: customer.recentConversations.map((item) => presentConversation(item)),
        }),
      };
    },
  }),
  route<{ createCustomer: CustomerData }>({
    method: 'post',
    path: '/v1/customers',
    family: '000',
    status: 201,
    operation: `mutation RestCreateCustomer($input: CreateCustomerInput!) { createCustomer(input: $input) { ...RestCustomer } } ${CUSTOMER_FIELDS}`,
    variables: ({ body }) => ({ input: customerInput(body, true) }),
    respond: (data) => ({ body: presentCustomer(data.createCustomer) }),
  }),
  route<{ updateCustomer: CustomerData }>({
    method: 'patch',
    path: '/v1/customers/:id',
    family: '000',
    operation: `mutation RestUpdateCustomer($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { ...RestCustomer } } ${CUSTOMER_FIELDS}`,
    variables: ({ params, body }) => ({ id: params.id, input: customerInput(body, false) }),
    respond: (data) => ({ body: presentCustomer(data.updateCustomer) }),
  }),
  route<{
    mergeCustomers: { customer: CustomerData; movedIdentities: number; movedConversations: number; movedMessages: number; merged: boolean };
  }>({
    method: 'post',
    path: '/v1/customers/:id/merge',
    family: '000',
    operation: `mutation RestMergeCustomers($input: MergeCustomersInput!) {
      mergeCustomers(input: $input) { merged movedIdentities movedConversations movedMessages customer { ...RestCustomer } }
    } ${CUSTOMER_FIELDS}`,
    variables: ({ params, body }) => ({ input: { targetId: params.id, sourceCustomerId: body.sourceCustomerId } }),
    respond: ({ mergeCustomers: result }) => ({
      body: {
        ...presentCustomer(result.customer),
        merge: {
          merged: result.merged,
          movedIdentities: result.movedIdentities,
          movedConversations: result.movedConversations,
          movedMessages: result.movedMessages,
        },
      },
    }),
  }),
  route<{ customer: { conversations: Connection<ConversationData> } | null }>({
    method: 'get',
    path: '/v1/customers/:id/conversations',
    family: '000',
    operation: `query RestCustomerConversations($id: ID!, $first: Int, $offset: Int) {
      customer(id: $id) { conversations(first: $first, offset: $offset) { totalCount nodes { ...RestConversation } } }
    } ${CONVERSATION_FIELDS}`,
    variables: (request) => {
      const { first, offset } = pageParams(request.query);
      return { id: request.params.id, first, offset };
    },
    respond: (data, request) => {
      const { page, pageSize } = pageParams(request.query);
      const conversations = found(data.customer, 'Customer', request.params.id).conversations;
      return {
        body: conversations.nodes.map((conversation) => presentConversation(conversation)),
        pagination: pagePagination(conversations.totalCount, page, pageSize),
      };
    },
  }),
  route<{
    customer: {
      timeline: {
        nodes: {
          id: string;
          kind: string;
          occurredAt: string;
          conversation: { id: string; subject: string };
          message: MessageData | null;
          event: Record<string, unknown> | null;
        }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    } | null;
  }>({
    method: 'get',
    path: '/v1/customers/:id/timeline',
    family: '000',
    operation: `query RestCustomerTimeline($id: ID!, $first: Int, $after: String) {
      customer(id: $id) {
        timeline(first: $first, after: $after) {
          pageInfo { hasNextPage endCursor }
          nodes { id kind occurredAt conversation { id subject } message { ...RestMessage } event { id type actorKind actorId data createdAt } }
        }
      }
    } ${MESSAGE_FIELDS}`,
    variables: (request) => ({
      id: request.params.id,
      first: integerParam(request.query, 'limit', { min: 1, max: 100, fallback: 20 }),
      after: stringParam(request.query, 'cursor'),
    }),
    respond: (data, request) => {
      const timeline = found(data.customer, 'Customer', request.params.id).timeline;
      return {
        body: timeline.nodes.map((entry) => ({
          id: entry.id,
          kind: restEnum(entry.kind),
          occurredAt: entry.occurredAt,
          conversationId: entry.conversation.id,
          conversationSubject: entry.conversation.subject,
          ...(entry.message ? { message: presentMessage(entry.message) } : {}),
          ...(entry.event ? { event: { ...entry.event, type: restEnum(String(entry.event.type)) } } : {}),
        })),
        pagination: { hasNextPage: timeline.pageInfo.hasNextPage, nextCursor: timeline.pageInfo.endCursor },
      };
    },
  }),
  route<{ conversations: Connection<ConversationData> }>({
    method: 'get',
    path: '/v1/conversations',
    family: '000',
    operation: `query RestConversations($first: Int, $offset: Int, $filter: ConversationFilter, $sortBy: ConversationSortField, $sortOrder: SortOrder) {
      conversations(first: $first, offset: $offset, filter: $filter, sortBy: $sortBy, sortOrder: $sortOrder) { totalCount nodes { ...RestConversation } }
    } ${CONVERSATION_FIELDS}`,
    variables: conversationListVariables,
    respond: (data, request) => {
      const { page, pageSize } = pageParams(request.query);
      return {
        body: data.conversations.nodes.map((conversation) => presentConversation(conversation)),
        pagination: pagePagination(data.conversations.totalCount, page, pageSize),
      };
    },
  }),
  route<{ conversation: (ConversationData & { messages?: { nodes: MessageData[] }; history?: unknown[] }) | null }>({
    method: 'get',
    path: '/v1/conversations/:id',
    family: '000',
    operation: `query RestConversation($id: ID!, $withMessages: Boolean!, $messageLimit: Int, $includeNotes: Boolean, $withHistory: Boolean!) {
      conversation(id: $id) {
        ...RestConversation
        messages(first: $messageLimit, includeInternal: $includeNotes) @include(if: $withMessages) { nodes { ...RestMessage } }
        history @include(if: $withHistory) { id type actorKind actorId data createdAt }
      }
    } ${CONVERSATION_FIELDS} ${MESSAGE_FIELDS}`,
    variables: ({ params, query }) => ({
      id: params.id,
      withMessages: booleanParam(query, 'includeMessages') ?? true,
      messageLimit: integerParam(query, 'messageLimit', { min: 1, max: 100, fallback: 50 }),
      includeNotes: booleanParam(query, 'includeNotes') ?? false,
      withHistory: booleanParam(query, 'includeTimeline') ?? false,
    }),
    respond: (data, { params }) => {
      const conversation = found(data.conversation, 'Conversation', params.id);
      return { body: presentConversation(conversation, { messages: conversation.messages?.nodes, history: conversation.history }) };
    },
  }),
  route<{ createConversation: ConversationData }>({
    method: 'post',
    path: '/v1/conversations',
    family: '000',
    status: 201,
    operation: `mutation RestCreateConversation($input: CreateConversationInput!) { createConversation(input: $input) { ...RestConversation } } ${CONVERSATION_FIELDS}`,
    variables: ({ body }) => {
      const initial = (body.initialMessage ?? {}) as Record<string, unknown>;
      const input = pick(body, ['customerId', 'subject', 'tags', 'intent', 'customFields', 'metadata']);
      input.channel = graphqlEnum(body.channel);
      if ('severity' in body) input.severity = graphqlEnum(body.severity);
      input.initialMessage = {
        content: initial.content,
        ...('contentType' in initial ? { contentType: graphqlEnum(initial.contentType) } : {}),
        ...('attachments' in initial ? { attachments: attachmentInputs(initial.attachments, 'initialMessage.attachments') } : {}),
      };
      return { input };
    },
    respond: (data) => ({ body: presentConversation(data.createConversation) }),
  }),
  route<{ updateConversation: ConversationData }>({
    method: 'patch',
    path: '/v1/conversations/:id',
    family: '000',
    operation: `mutation RestUpdateConversation($id: ID!, $input: UpdateConversationInput!) { updateConversation(id: $id, input: $input) { ...RestConversation } } ${CONVERSATION_FIELDS}`,
    variables: ({ params, body }) => ({ id: params.id, input: conversationInput(body) }),
    respond: (data) => ({ body: presentConversation(data.updateConversation) }),
  }),
  conversationMutation('assignConversation', 'AssignConversation', 'assign', assignment),
  conversationMutation('transferConversation', 'AssignConversation', 'transfer', assignment),
  conversationMutation('escalateConversation', 'EscalateConversation', 'escalate', (body) => {
    const input = pick(body, ['reason', 'createResolution', 'issueType', 'owningTeam']);
    if ('priority' in body) input.priority = graphqlEnum(body.priority);
    return input;
  }),
  conversationMutation('resolveConversation', 'ResolveConversation', 'resolve', (body) =>
    pick(body, ['resolutionNotes', 'sendClosureMessage', 'closureMessageTemplate']),
  ),
  conversationMutation('reopenConversation', 'ReopenConversation', 'reopen', (body) => pick(body, ['reason'])),
  route<{ messages: Connection<MessageData> }>({
    method: 'get',
    path: '/v1/conversations/:conversationId/messages',
    family: '000',
    operation: `query RestMessages($conversationId: ID!, $limit: Int, $before: ID, $after: ID, $channel: [Channel!], $direction: [Direction!]) {
      messages(conversationId: $conversationId, limit: $limit, before: $before, after: $after, channel: $channel, direction: $direction) {
        totalCount nodes { ...RestMessage }
      }
    } ${MESSAGE_FIELDS}`,
    variables: ({ params, query }) => ({
      conversationId: params.conversationId,
      limit: integerParam(query, 'limit', { min: 1, max: 100, fallback: 50 }),
      before: stringParam(query, 'before'),
      after: stringParam(query, 'after'),
      channel: graphqlEnums(listParam(query, 'channel')),
      direction: graphqlEnums(listParam(query, 'direction')),
    }),
    respond: (data) => ({ body: data.messages.nodes.map(presentMessage) }),
  }),
  route<{ sendMessage: MessageData }>({
    method: 'post',
    path: '/v1/conversations/:conversationId/messages',
    family: '000',
    status: 201,
    operation: `mutation RestSendMessage($conversationId: ID!, $input: SendMessageInput!) {
      sendMessage(conversationId: $conversationId, input: $input) { ...RestMessage }
    } ${MESSAGE_FIELDS}`,
    variables: ({ params, body }) => {
      const input = pick(body, ['content', 'internal']);
      if ('channel' in body) input.channel = graphqlEnum(body.channel);
      if ('contentType' in body) input.contentType = graphqlEnum(body.contentType);
      if ('attachments' in body) input.attachments = attachmentInputs(body.attachments);
      return { conversationId: params.conversationId, input };
    },
    respond: (data) => ({ body: presentMessage(data.sendMessage) }),
  }),
  route<{ attachment: { filename: string; contentType: string; base64Content: string } | null }>({
    method: 'get',
    path: '/v1/attachments/:id',
    family: '000',
    operation: `query RestAttachment($id: ID!) { attachment(id: $id) { filename contentType base64Content } }`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => {
      const attachment = found(data.attachment, 'Attachment', params.id);
      return {
        body: null,
        file: {
          filename: attachment.filename,
          contentType: attachment.contentType,
          content: Buffer.from(attachment.base64Content, 'base64'),
        },
      };
    },
  }),
  route<{ message: MessageData | null }>({
    method: 'get',
    path: '/v1/messages/:id',
    family: '000',
    operation: `query RestMessage($id: ID!) { message(id: $id) { ...RestMessage } } ${MESSAGE_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data, { params }) => ({ body: presentMessage(found(data.message, 'Message', params.id)) }),
  }),
  route<{ deleteMessage: MessageData }>({
    method: 'delete',
    path: '/v1/messages/:id',
    family: '000',
    operation: `mutation RestDeleteMessage($id: ID!) { deleteMessage(id: $id) { ...RestMessage } } ${MESSAGE_FIELDS}`,
    variables: ({ params }) => ({ id: params.id }),
    respond: (data) => ({ body: presentMessage(data.deleteMessage) }),
  }),
];

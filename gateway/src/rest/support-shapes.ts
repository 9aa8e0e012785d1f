import { ValidationError } from '@deskgraph/errors';

/** GraphQL selections and document shapes of customers, conversations, messages and tickets. */

/** GraphQL enums are SCREAMING_CASE (`AWAITING_AGENT`); the REST documents write `awaiting_agent`. */
export const restEnum = (value: string | null): string | null => (value === null ? null : value.toLowerCase());
export const graphqlEnum = (value: unknown): unknown => (typeof value === 'string' ? value.toUpperCase() : value);
export const graphqlEnums = (values: readonly string[] | undefined): string[] | undefined => values?.map((value) => value.toUpperCase());

export const CUSTOMER_FIELDS = /* GraphQL */ `
  fragment RestCustomer on Customer {
    id
    name
    email
    phone
    company
    avatarUrl
    organizationId
    slaTier
    status
    tags
    segments
    riskFlags
    customFields
    createdAt
    updatedAt
    identityGraph {
      emails
      phoneNumbers
      socialIds
      deviceFingerprints
    }
  }
`;

export interface CustomerData {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  avatarUrl: string | null;
  organizationId: string | null;
  slaTier: string;
  status: string;
  tags: string[];
  segments: string[];
  riskFlags: string[];
  customFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  identityGraph: { emails: string[]; phoneNumbers: string[]; socialIds: Record<string, string>; deviceFingerprints: string[] };
}

export interface CustomerStatsData {
  totalConversations: number;
  openConversations: number;
  avgResolutionTimeHours: number | null;
  lastContactAt: string | null;
}

/** The 000 document's customer (`GET /customers/:id`). */
export function presentCustomer(customer: CustomerData, extra: { stats?: CustomerStatsData; recentConversations?: unknown[] } = {}) {
  return {
    id: customer.id,
    identityGraph: customer.identityGraph,
    profile: { name: customer.name, company: customer.company, avatarUrl: customer.avatarUrl },
    organizationId: customer.organizationId,
    slaTier: customer.slaTier,
    status: restEnum(customer.status),
    tags: customer.tags,
    segments: customer.segments,
    riskFlags: customer.riskFlags,
    customFields: customer.customFields,
    ...(extra.stats ? { stats: extra.stats } : {}),
    ...(extra.recentConversations ? { recentConversations: extra.recentConversations } : {}),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
}

/** The 004 document's flat customer. */
export function presentFlatCustomer(customer: CustomerData) {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    organizationId: customer.organizationId,
    tags: customer.tags,
    customFields: customer.customFields,
    status: restEnum(customer.status),
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
  };
}

/**
 * A REST customer body as CreateCustomerInput / UpdateCustomerInput: the flat form (004:
 * `name, email, phone`) or the 000 form (`profile`, `identityGraph`). Unknown keys are ignored.
 */
export function customerInput(body: Record<string, unknown>, creating: boolean): Record<string, unknown> {
  const profile = (body.profile ?? {}) as Record<string, unknown>;
  const graph = (body.identityGraph ?? {}) as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) input[key] = value;
  };
  set('name', body.name ?? profile.name);
  set('company', body.company ?? profile.company);
  set('avatarUrl', body.avatarUrl ?? profile.avatarUrl);
  for (const key of ['organizationId', 'slaTier', 'tags', 'segments', 'riskFlags', 'customFields']) set(key, body[key]);
  if (body.status !== undefined) set('status', graphqlEnum(body.status));
  if (creating) {
    set('email', body.email);
    set('phone', body.phone);
    set('emails', body.emails ?? graph.emails);
    set('phoneNumbers', body.phoneNumbers ?? graph.phoneNumbers);
    set('deviceFingerprints', body.deviceFingerprints ?? graph.deviceFingerprints);
    const socialIds = body.socialIds ?? graph.socialIds;
    if (socialIds && typeof socialIds === 'object' && !Array.isArray(socialIds)) {
      set(
        'socialIds',
        Object.entries(socialIds).map(([network, id]) => ({ network, id: String(id) })),
      );
    } else set('socialIds', socialIds);
  }
  return input;
}

export const MESSAGE_FIELDS = /* GraphQL */ `
  fragment RestMessage on Message {
    id
    conversationId
    channel
    direction
    senderType
    senderId
    content
    contentType
    isInternal
    aiAnnotations
    status
    deletedAt
    createdAt
    attachments {
      id
      filename
      contentType
      size
      url
    }
  }
`;

export interface MessageData {
  id: string;
  conversationId: string;
  channel: string;
  direction: string;
  senderType: string;
  senderId: string | null;
  content: string | null;
  contentType: string;
  isInternal: boolean;
  aiAnnotations: Record<string, unknown> | null;
  status: string;
  deletedAt: string | null;
  createdAt: string;
  attachments: { id: string; filename: string; contentType: string; size: number; url: string }[];
}

/** The 000 document's message. */
export function presentMessage(message: MessageData) {
  return {
    id: message.id,
    conversationId: message.conversationId,
    channel: restEnum(message.channel),
    direction: restEnum(message.direction),
    senderType: restEnum(message.senderType),
    senderId: message.senderId,
    content: message.content,
    contentType: restEnum(message.contentType),
    internal: message.isInternal,
    aiAnnotations: message.aiAnnotations,
    status: restEnum(message.status),
    attachments: message.attachments,
    deletedAt: message.deletedAt,
    createdAt: message.createdAt,
  };
}

export const CONVERSATION_FIELDS = /* GraphQL */ `
  fragment RestConversation on Conversation {
    id
    customerId
    state
    channelsUsed
    currentChannel
    assignedAgentId
    assignedTeamId
    intent
    severity
    sentiment
    resolutionId
    escalationReason
    subject
    summary
    tags
    messageCount
    customFields
    firstResponseAt
    lastMessageAt
    resolvedAt
    closedAt
    slaDueAt
    dueAt
    reopenCount
    createdAt
    updatedAt
    customer {
      id
      name
      slaTier
    }
    assignedAgent {
      id
      displayName
    }
  }
`;

export interface ConversationData {
  id: string;
  customerId: string;
  state: string;
  channelsUsed: string[];
  currentChannel: string;
  assignedAgentId: string | null;
  assignedTeamId: string | null;
  intent: string | null;
  severity: string;
  sentiment: string | null;
  resolutionId: string | null;
  escalationReason: string | null;
  subject: string;
  summary: string | null;
  tags: string[];
  messageCount: number;
  customFields: Record<string, unknown>;
  firstResponseAt: string | null;
  lastMessageAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  slaDueAt: string | null;
  dueAt: string | null;
  reopenCount: number;
  createdAt: string;
  updatedAt: string;
  customer: { id: string; name: string; slaTier: string };
  assignedAgent: { id: string; displayName: string } | null;
}

/** The 000 document's conversation (`GET /conversations/:id`). */
export function presentConversation(conversation: ConversationData, extra: { messages?: MessageData[]; history?: unknown[] } = {}) {
  return {
    id: conversation.id,
    customerId: conversation.customerId,
    customer: { id: conversation.customer.id, profile: { name: conversation.customer.name }, slaTier: conversation.customer.slaTier },
    state: restEnum(conversation.state),
    channelsUsed: conversation.channelsUsed.map((channel) => restEnum(channel)),
    currentChannel: restEnum(conversation.currentChannel),
    assignedAgentId: conversation.assignedAgentId,
    assignedAgent: conversation.assignedAgent,
    assignedTeamId: conversation.assignedTeamId,
    intent: conversation.intent,
    severity: conversation.severity,
    sentiment: restEnum(conversation.sentiment),
    sla: { dueAt: conversation.slaDueAt, breached: conversation.slaDueAt !== null && Date.parse(conversation.slaDueAt) < Date.now() },
    resolutionId: conversation.resolutionId,
    escalationReason: conversation.escalationReason,
    subject: conversation.subject,
    summary: conversation.summary,
    tags: conversation.tags,
    messageCount: conversation.messageCount,
    customFields: conversation.customFields,
    firstResponseAt: conversation.firstResponseAt,
    lastMessageAt: conversation.lastMessageAt,
    resolvedAt: conversation.resolvedAt,
    closedAt: conversation.closedAt,
    dueAt: conversation.dueAt,
    reopenCount: conversation.reopenCount,
    ...(extra.messages ? { messages: extra.messages.map(presentMessage) } : {}),
    ...(extra.history ? { history: extra.history } : {}),
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
  };
}

/**
 * Attachments as the documents send them: `{ filename, base64Content }` objects, or (004)
 * strings that must be `data:` URLs; a plain link cannot be stored.
 */
export function attachmentInputs(value: unknown, field = 'attachments'): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((item, index) => {
    if (typeof item !== 'string') return item;
    const match = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(item);
    if (!match) {
      throw new ValidationError([{ field: `${field}.${index}`, message: 'must be a base64 data: URL or { filename, base64Content }' }]);
    }
    return { filename: `attachment-${index + 1}`, contentType: match[1], base64Content: match[2] };
  });
}

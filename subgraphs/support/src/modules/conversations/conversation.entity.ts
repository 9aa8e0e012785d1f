import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

export const channels = ['web_chat', 'web_form', 'email', 'whatsapp', 'facebook', 'twitter', 'sms', 'voice', 'api'] as const;
export type Channel = (typeof channels)[number];

export const conversationStates = ['new', 'bot', 'awaiting_agent', 'awaiting_customer', 'escalated', 'resolved', 'closed'] as const;
export type ConversationState = (typeof conversationStates)[number];

export const severities = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof severities)[number];

export const sentiments = ['positive', 'neutral', 'negative'] as const;
export type Sentiment = (typeof sentiments)[number];

/**
 * One support case with one customer across channels; tickets (002, 004) are a view of it.
 * Agents and teams are identity's, resolutions the resolutions subgraph's: only their ids live here.
 */
export const ConversationEntity = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    customerId: p.uuid(),
    state: p.enum([...conversationStates]),
    channelsUsed: p.array<Channel>().default([]),
    currentChannel: p.enum([...channels]),
    assignedAgentId: p.uuid().nullable(),
    assignedTeamId: p.uuid().nullable(),
    intent: p.string().length(100).nullable(),
    severity: p.enum([...severities]).default('P3'),
    sentiment: p.enum([...sentiments]).nullable(),
    subject: p.string().length(500),
    summary: p.text().nullable(),
    tags: p.array().default([]),
    messageCount: p.integer().default(0),
    resolutionId: p.uuid().nullable(),
    escalationReason: p.text().nullable(),
    customFields: p.json<Record<string, unknown>>().default('{}'),
    /** Channel metadata of the first contact (the 002 document's ticket metadata). */
    metadata: p.json<Record<string, unknown>>().default('{}'),
    templateId: p.uuid().nullable(),
    dueAt: p.datetime().nullable(),
    slaDueAt: p.datetime().nullable(),
    firstResponseAt: p.datetime().nullable(),
    lastMessageAt: p.datetime().nullable(),
    resolvedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    reopenCount: p.integer().default(0),
    /** Deleted tickets are hidden from every list and lookup; the row stays for audit. */
    deletedAt: p.datetime().nullable(),
    deletedBy: p.string().length(100).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [
    { name: 'conversations_tenant_created_idx', properties: ['tenantId', 'createdAt', 'id'] },
    { name: 'conversations_tenant_last_message_idx', properties: ['tenantId', 'lastMessageAt', 'id'] },
    { name: 'conversations_tenant_sla_due_idx', properties: ['tenantId', 'slaDueAt', 'id'] },
    { name: 'conversations_tenant_state_idx', properties: ['tenantId', 'state', 'createdAt'] },
    { name: 'conversations_tenant_agent_idx', properties: ['tenantId', 'assignedAgentId', 'state'] },
    { name: 'conversations_tenant_team_idx', properties: ['tenantId', 'assignedTeamId', 'state'] },
    { name: 'conversations_tenant_customer_idx', properties: ['tenantId', 'customerId', 'createdAt'] },
    { name: 'conversations_tenant_severity_idx', properties: ['tenantId', 'severity', 'createdAt'] },
    {
      // Counts a list's total (every filter starts from state or severity) from the index alone.
      name: 'conversations_tenant_live_filters_idx',
      expression: (table, columns, indexName) =>
        `create index "${indexName}" on ${table.toString()} ("${columns.tenantId}", "${columns.state}", "${columns.severity}") where "${columns.deletedAt}" is null`,
    },
    {
      name: 'conversations_tags_idx',
      expression: (table, columns, indexName) => `create index "${indexName}" on ${table.toString()} using gin ("${columns.tags}")`,
    },
    {
      name: 'conversations_channels_idx',
      expression: (table, columns, indexName) => `create index "${indexName}" on ${table.toString()} using gin ("${columns.channelsUsed}")`,
    },
    {
      name: 'conversations_subject_trgm_idx',
      expression: (table, columns, indexName) =>
        `create index "${indexName}" on ${table.toString()} using gin ("${columns.subject}" gin_trgm_ops)`,
    },
  ],
});
export type Conversation = InferEntity<typeof ConversationEntity>;

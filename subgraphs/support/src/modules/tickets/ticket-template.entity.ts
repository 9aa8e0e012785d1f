import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';
import { severities } from '../conversations/conversation.entity.js';

/** Defaults a new ticket takes when created from it (the 004 document's `templateId`). */
export const TicketTemplateEntity = defineEntity({
  name: 'TicketTemplate',
  tableName: 'ticket_templates',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string().length(200),
    subject: p.string().length(500).nullable(),
    description: p.text().nullable(),
    severity: p.enum([...severities]).nullable(),
    tags: p.array().default([]),
    customFields: p.json<Record<string, unknown>>().default('{}'),
    assignedTeamId: p.uuid().nullable(),
    assignedAgentId: p.uuid().nullable(),
    dueInHours: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  uniques: [{ name: 'ticket_templates_tenant_name_unique', properties: ['tenantId', 'name'] }],
});
export type TicketTemplate = InferEntity<typeof TicketTemplateEntity>;

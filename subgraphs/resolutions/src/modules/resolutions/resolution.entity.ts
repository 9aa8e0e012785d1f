import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

export const resolutionStatuses = ['open', 'investigating', 'fix_in_progress', 'awaiting_deployment', 'resolved', 'closed'] as const;
export type ResolutionStatus = (typeof resolutionStatuses)[number];

export const resolutionPriorities = ['P0', 'P1', 'P2', 'P3'] as const;
export type ResolutionPriority = (typeof resolutionPriorities)[number];

export const ResolutionEntity = defineEntity({
  name: 'Resolution',
  tableName: 'resolutions',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    /** A support conversation; no foreign key, it lives in another subgraph's schema. */
    conversationId: p.uuid().nullable(),
    issueType: p.string().length(50),
    owningTeam: p.string().length(120),
    status: p.enum([...resolutionStatuses]).default('open'),
    priority: p.enum([...resolutionPriorities]),
    rootCause: p.text().nullable(),
    fixDescription: p.text().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [{ name: 'resolutions_tenant_created_idx', properties: ['tenantId', 'createdAt', 'id'] }],
});
export type Resolution = InferEntity<typeof ResolutionEntity>;

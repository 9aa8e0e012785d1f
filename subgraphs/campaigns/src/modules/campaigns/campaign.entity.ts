import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

export const campaignStatuses = ['draft', 'scheduled', 'active', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

export const CampaignEntity = defineEntity({
  name: 'Campaign',
  tableName: 'campaigns',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string().length(200),
    callerId: p.string().length(20),
    status: p.enum([...campaignStatuses]).default('draft'),
    timezone: p.string().length(64),
    scheduleStart: p.datetime().nullable(),
    scheduleEnd: p.datetime().nullable(),
    amdEnabled: p.boolean().default(true),
    recordCalls: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [{ name: 'campaigns_tenant_created_idx', properties: ['tenantId', 'createdAt', 'id'] }],
});
export type Campaign = InferEntity<typeof CampaignEntity>;

import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

/** One row per tenant, written only by the event consumer. */
export const TenantActivityEntity = defineEntity({
  name: 'TenantActivity',
  tableName: 'tenant_activity',
  filters: tenantFilter,
  properties: (p) => ({
    tenantId: p.uuid().primary(),
    userCount: p.integer().default(0),
    teamCount: p.integer().default(0),
    lastEventAt: p.datetime().nullable(),
  }),
});
export type TenantActivity = InferEntity<typeof TenantActivityEntity>;

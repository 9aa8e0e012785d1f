import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

/** A company the tenant's customers belong to (the 004 document's organization). */
export const OrganizationEntity = defineEntity({
  name: 'Organization',
  tableName: 'organizations',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string().length(200),
    industry: p.string().length(100).nullable(),
    size: p.string().length(50).nullable(),
    address: p.text().nullable(),
    customFields: p.json<Record<string, unknown>>().default('{}'),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [{ name: 'organizations_tenant_name_idx', properties: ['tenantId', 'name', 'id'] }],
});
export type Organization = InferEntity<typeof OrganizationEntity>;

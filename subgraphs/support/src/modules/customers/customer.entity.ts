import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

export const customerStatuses = ['active', 'inactive', 'blocked'] as const;
export type CustomerStatus = (typeof customerStatuses)[number];

export const CustomerEntity = defineEntity({
  name: 'Customer',
  tableName: 'customers',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string().length(200),
    /** Lower-cased; not unique: the identity graph merges duplicates later. */
    email: p.string().length(320).nullable(),
    phone: p.string().length(20).nullable(),
    company: p.string().length(200).nullable(),
    status: p.enum([...customerStatuses]).default('active'),
    tags: p.array().default([]),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [{ name: 'customers_tenant_created_idx', properties: ['tenantId', 'createdAt', 'id'] }],
});
export type Customer = InferEntity<typeof CustomerEntity>;

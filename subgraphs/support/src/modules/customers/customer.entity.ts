import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

export const customerStatuses = ['active', 'inactive', 'blocked'] as const;
export type CustomerStatus = (typeof customerStatuses)[number];

/**
 * A person the tenant supports. How to reach them lives in the identity graph
 * (CustomerIdentity); a merged customer stays as a tombstone pointing at its target.
 */
export const CustomerEntity = defineEntity({
  name: 'Customer',
  tableName: 'customers',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string().length(200),
    company: p.string().length(200).nullable(),
    avatarUrl: p.string().length(2048).nullable(),
    organizationId: p.uuid().nullable(),
    slaTier: p.string().length(50).default('standard'),
    status: p.enum([...customerStatuses]).default('active'),
    tags: p.array().default([]),
    segments: p.array().default([]),
    riskFlags: p.array().default([]),
    customFields: p.json<Record<string, unknown>>().default('{}'),
    /** Set when merged into another customer; the row then only redirects. */
    mergedIntoId: p.uuid().nullable(),
    mergedAt: p.datetime().nullable(),
    /** The latest message from or to the customer (kept by the messages module). */
    lastContactAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  indexes: [
    { name: 'customers_tenant_created_idx', properties: ['tenantId', 'createdAt', 'id'] },
    { name: 'customers_tenant_organization_idx', properties: ['tenantId', 'organizationId'] },
    {
      name: 'customers_name_trgm_idx',
      expression: (table, columns, indexName) =>
        `create index "${indexName}" on ${table.toString()} using gin ("${columns.name}" gin_trgm_ops)`,
    },
    {
      name: 'customers_tags_idx',
      expression: (table, columns, indexName) => `create index "${indexName}" on ${table.toString()} using gin ("${columns.tags}")`,
    },
    {
      name: 'customers_segments_idx',
      expression: (table, columns, indexName) => `create index "${indexName}" on ${table.toString()} using gin ("${columns.segments}")`,
    },
  ],
});
export type Customer = InferEntity<typeof CustomerEntity>;

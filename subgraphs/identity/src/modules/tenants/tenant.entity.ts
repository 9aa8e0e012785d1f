import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A tenant is the root of isolation: it is not itself tenant-filtered, it is the tenant. */
export const TenantEntity = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: (p) => ({
    id: p.uuid().primary(),
    name: p.string().length(200),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
});
export type Tenant = InferEntity<typeof TenantEntity>;

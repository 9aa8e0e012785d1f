import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';

/**
 * A user of the tenant as identity last announced them (the `user.*` events): support's read
 * model of who may be assigned, and of which customer record a portal customer is (by email).
 * Written only by the directory consumer.
 */
export const DirectoryUserEntity = defineEntity({
  name: 'DirectoryUser',
  tableName: 'directory_users',
  filters: tenantFilter,
  properties: (p) => ({
    tenantId: p.uuid().primary(),
    /** The identity user id. */
    id: p.uuid().primary(),
    /** `admin`, `agent` or `customer`; null until an event naming the role arrives. */
    role: p.string().length(20).nullable(),
    /** Lower-case, as identity stores it; null until an event naming it arrives. */
    email: p.string().length(320).nullable(),
    active: p.boolean(),
    /** When the latest applied event happened in identity; older events are not applied over it. */
    updatedAt: p.datetime(),
  }),
});
export type DirectoryUser = InferEntity<typeof DirectoryUserEntity>;

import type { EntityManager } from '@mikro-orm/postgresql';
import { CustomerEntity } from './customer.entity.js';

/**
 * Removes every customer (tombstones too) from an organization, inside the caller's
 * transaction: the organizations module calls it when it deletes one. Returns how many.
 */
export function unlinkOrganizationCustomers(em: EntityManager, organizationId: string): Promise<number> {
  return em.nativeUpdate(CustomerEntity, { organizationId }, { organizationId: null, updatedAt: new Date() });
}

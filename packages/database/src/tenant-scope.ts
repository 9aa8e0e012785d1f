import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventSubscriber, FlushEventArgs } from '@mikro-orm/core';

/** The filter every tenant-owned entity declares; without a tenant id, queries throw. */
export const TENANT_FILTER = 'tenant';

export const tenantFilter = {
  [TENANT_FILTER]: {
    name: TENANT_FILTER,
    cond: (args: { tenantId?: string }) => ({ tenantId: args.tenantId }),
    default: true,
  },
};

/** A forked EntityManager that can only read and write rows of one tenant. */
export function tenantEntityManager(root: EntityManager, tenantId: string): EntityManager {
  const em = root.fork({ clear: true, useContext: false });
  em.setFilterParams(TENANT_FILTER, { tenantId });
  return em;
}

/** The tenant an EntityManager is scoped to, or undefined for an unscoped (system) one. */
export function scopedTenant(em: EntityManager): string | undefined {
  const params = em.getFilterParams<{ tenantId?: string }>(TENANT_FILTER);
  return params?.tenantId;
}

/**
 * Refuses to flush a row of another tenant through a tenant-scoped EntityManager,
 * so a write cannot cross tenants even when a caller forgets to check.
 */
export class TenantGuard implements EventSubscriber {
  onFlush(args: FlushEventArgs): void {
    const tenantId = scopedTenant(args.em as EntityManager);
    if (!tenantId) return;
    for (const changeSet of args.uow.getChangeSets()) {
      if (!('tenantId' in changeSet.meta.properties)) continue;
      const rowTenant = (changeSet.entity as { tenantId?: string }).tenantId;
      if (rowTenant === undefined) {
        // An unloaded reference: its tenant is unknown, so it cannot be written or removed safely.
        throw new Error(`Tenant guard: load ${changeSet.meta.className} ${String(changeSet.entity.id ?? '')} before changing it`);
      }
      if (rowTenant !== tenantId) {
        throw new Error(`Tenant guard: ${changeSet.meta.className} belongs to another tenant`);
      }
    }
  }
}

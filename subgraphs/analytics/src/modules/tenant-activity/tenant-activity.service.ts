import { authorize, requireCaller } from '@deskgraph/auth';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { TenantActivityEntity } from './tenant-activity.entity.js';

/** A tenant as this subgraph knows it: only its id (identity owns the rest). */
export interface TenantReference {
  id: string;
}

/** A tenant's counts; zeros until its first event arrives. */
export interface TenantActivityView {
  userCount: number;
  teamCount: number;
  lastEventAt: Date | null;
}

export class TenantActivityService {
  constructor(private readonly ctx: RequestContext) {}

  /** A federation reference: only the caller's own tenant resolves, any other id is null. */
  reference(id: string): TenantReference | null {
    return id === requireCaller(this.ctx.caller).tenantId ? { id } : null;
  }

  /** The caller's own tenant's counts. */
  async current(): Promise<TenantActivityView> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(caller.tenantId);
  }

  /** The counts of a tenant the caller was allowed to reference (`Tenant.activity`). */
  async forTenant(tenantId: string): Promise<TenantActivityView> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(tenantId);
  }

  private load(tenantId: string): Promise<TenantActivityView> {
    return this.ctx
      .loader<string, TenantActivityView>('tenantActivity.byTenant', async (tenantIds) => {
        const rows = await this.ctx.em().find(TenantActivityEntity, { tenantId: { $in: [...tenantIds] } });
        const byTenant = new Map(rows.map((row) => [row.tenantId, row]));
        return tenantIds.map((key) => {
          const row = byTenant.get(key);
          return { userCount: row?.userCount ?? 0, teamCount: row?.teamCount ?? 0, lastEventAt: row?.lastEventAt ?? null };
        });
      })
      .load(tenantId);
  }
}

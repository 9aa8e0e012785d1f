import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { requireCaller } from '@deskgraph/auth';
import { NotFoundError } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { TenantEntity, type Tenant } from './tenant.entity.js';

export class TenantsService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly orm: MikroORM,
  ) {}

  async current(): Promise<Tenant> {
    const tenant = await this.byId(requireCaller(this.ctx.caller).tenantId);
    if (!tenant) throw new NotFoundError('Tenant');
    return tenant;
  }

  /** A federation reference: only the caller's own tenant resolves, any other id is null. */
  async load(id: string): Promise<Tenant | null> {
    return id === requireCaller(this.ctx.caller).tenantId ? this.byId(id) : null;
  }

  /** The tenant of an object the caller was already allowed to see (e.g. `User.tenant`). */
  byId(id: string): Promise<Tenant | null> {
    return this.ctx
      .loader<string, Tenant | null>('tenants.byId', async (ids) => {
        const tenants = await (this.orm.em.fork() as EntityManager).find(TenantEntity, { id: { $in: [...ids] } });
        const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
        return ids.map((key) => byId.get(key) ?? null);
      })
      .load(id);
  }
}

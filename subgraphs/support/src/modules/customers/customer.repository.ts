import { raw, type ObjectQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { findPage, scopedTenant, type Connection, type PageRequest } from '@deskgraph/database';
import { isUuid, normalizePhone } from '@deskgraph/validation';
import { CustomerIdentityEntity, type CustomerIdentity } from './customer-identity.entity.js';
import { CustomerEntity, type Customer, type CustomerStatus } from './customer.entity.js';
import type { IdentityKey } from './customer-identities.js';

export interface CustomerListFilter {
  search?: string | null;
  slaTier?: string | null;
  tags?: string[] | null;
  segments?: string[] | null;
  status?: CustomerStatus | null;
  organizationId?: string | null;
}

/** `%text%` for ILIKE, with the wildcard characters of the text taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

const PHONE_LIKE = /^\+?[\d\s().-]+$/;

/**
 * ILIKE patterns of a search: the name is matched as typed; identities also by the digits
 * of a phone-looking search (without a leading trunk prefix) and by its E.164 form
 * (`(415) 555-2671` and `020 7946 0958` find `+14155552671` and `+442079460958`).
 */
export function searchPatterns(search: string): { name: string; identities: string[] } {
  const text = search.trim();
  const identities = new Set([containsPattern(text)]);
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= 3) identities.add(containsPattern(digits));
    // A national trunk prefix (`020 …`) or an international one (`0044 …`) is not stored.
    const significant = digits.replace(/^0+/, '');
    if (significant !== digits && significant.length >= 3) identities.add(containsPattern(significant));
    const e164 = normalizePhone(text);
    if (e164) identities.add(containsPattern(e164));
  }
  return { name: containsPattern(text), identities: [...identities] };
}

/** Queries for customers and their identities; the tenant-scoped EntityManager decides the tenant. */
export class CustomerRepository {
  private readonly tenantId: string;

  constructor(private readonly em: EntityManager) {
    const tenantId = scopedTenant(em);
    if (!tenantId) throw new Error('CustomerRepository needs a tenant-scoped EntityManager');
    this.tenantId = tenantId;
  }

  /** Live customers (never merged tombstones) meeting every condition of the filter. */
  where(filter: CustomerListFilter): ObjectQuery<Customer> {
    const where: ObjectQuery<Customer> & Record<string, unknown> = { mergedIntoId: null };
    if (filter.slaTier) where.slaTier = filter.slaTier;
    if (filter.status) where.status = filter.status;
    if (filter.tags && filter.tags.length > 0) where.tags = { $contains: filter.tags };
    if (filter.segments && filter.segments.length > 0) where.segments = { $contains: filter.segments };
    if (filter.organizationId !== null && filter.organizationId !== undefined) {
      where.organizationId = isUuid(filter.organizationId) ? filter.organizationId : { $in: [] };
    }
    // A knex sub-query is a valid `$in` operand at run time; the filter types only know arrays.
    if (filter.search && filter.search.trim() !== '') where.id = { $in: this.searchIds(filter.search) as unknown as string[] };
    return where;
  }

  list(filter: CustomerListFilter, page: PageRequest): Promise<Connection<Customer>> {
    return findPage(this.em, CustomerEntity, this.where(filter), { createdAt: 'desc', id: 'desc' }, page);
  }

  /**
   * Ids of customers whose name or any identity contains the search: a UNION of two
   * trigram-indexed lookups, so neither side scans the tenant's customers (an OR would).
   */
  private searchIds(search: string) {
    const patterns = searchPatterns(search);
    const byName = this.em
      .createQueryBuilder(CustomerEntity, 'named')
      .select('named.id')
      .where({ tenantId: this.tenantId, name: { $ilike: patterns.name } })
      .getKnexQuery();
    const byIdentity = this.em
      .createQueryBuilder(CustomerIdentityEntity, 'identity')
      .select('identity.customerId')
      .where({ tenantId: this.tenantId, $or: patterns.identities.map((pattern) => ({ value: { $ilike: pattern } })) })
      .getKnexQuery();
    return byName.unionAll(byIdentity);
  }

  /** Every identity of the given customers, in one query. */
  identitiesOf(customerIds: readonly string[], em: EntityManager = this.em): Promise<CustomerIdentity[]> {
    const ids = customerIds.filter(isUuid);
    if (ids.length === 0) return Promise.resolve([]);
    return em.find(CustomerIdentityEntity, { customerId: { $in: ids } }, { refresh: true });
  }

  /** The stored identities among `keys` (whoever owns them). */
  findIdentities(keys: IdentityKey[], em: EntityManager = this.em): Promise<CustomerIdentity[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return em.find(
      CustomerIdentityEntity,
      { $or: keys.map((key) => ({ kind: key.kind, network: key.network, value: key.value })) },
      { refresh: true },
    );
  }

  /**
   * Customers by id, each replaced by the customer it was merged into; unknown ids and
   * other tenants' customers are null. Follows chains of merges in one query per hop.
   */
  async resolveMany(ids: readonly string[], em: EntityManager = this.em): Promise<(Customer | null)[]> {
    const byId = new Map<string, Customer>();
    let pending = [...new Set(ids.filter(isUuid))];
    for (let hop = 0; pending.length > 0 && hop < 10; hop += 1) {
      const rows = await em.find(CustomerEntity, { id: { $in: pending } });
      for (const row of rows) byId.set(row.id, row);
      pending = [...new Set(rows.map((row) => row.mergedIntoId).filter((id): id is string => typeof id === 'string' && !byId.has(id)))];
    }
    return ids.map((id) => {
      let customer = byId.get(id) ?? null;
      for (let hop = 0; customer?.mergedIntoId && hop < 10; hop += 1) customer = byId.get(customer.mergedIntoId) ?? null;
      return customer?.mergedIntoId ? null : customer;
    });
  }

  /** Live customers per organization, in one grouped query. */
  async countByOrganization(organizationIds: readonly string[]): Promise<Map<string, number>> {
    const ids = organizationIds.filter(isUuid);
    if (ids.length === 0) return new Map();
    const rows: { organization_id: string; count: string | number }[] = await this.em
      .createQueryBuilder(CustomerEntity, 'customer')
      .select(['customer.organizationId', raw('count(*) as count')])
      .where({ tenantId: this.tenantId, organizationId: { $in: ids }, mergedIntoId: null })
      .groupBy('customer.organizationId')
      .execute('all', false);
    return new Map(rows.map((row) => [row.organization_id, Number(row.count)]));
  }
}

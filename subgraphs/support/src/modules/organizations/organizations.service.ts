import { randomUUID } from 'node:crypto';
import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { applyChanges, findPage, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { NotFoundError, ValidationError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { isUuid, trimmedText } from '@deskgraph/validation';
import { unlinkOrganizationCustomers } from '../customers/organization-membership.js';
import { OrganizationEntity, type Organization } from './organization.entity.js';

const customFields = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, { message: 'must be at most 16 KB of JSON' });

const organizationFields = {
  name: trimmedText(200).min(1, { message: 'is required' }),
  industry: trimmedText(100),
  size: trimmedText(50),
  address: trimmedText(2000),
};

const createOrganizationSchema = z.object({
  name: organizationFields.name,
  industry: organizationFields.industry.nullish(),
  size: organizationFields.size.nullish(),
  address: organizationFields.address.nullish(),
  customFields: customFields.nullish(),
});

const updateOrganizationSchema = z.object({
  name: organizationFields.name.optional(),
  industry: organizationFields.industry.nullish(),
  size: organizationFields.size.nullish(),
  address: organizationFields.address.nullish(),
  customFields: customFields.optional(),
});

const listSchema = z.object({ search: z.string().trim().max(200).nullish() });

export interface OrganizationListArgs {
  first?: number | null;
  after?: string | null;
  offset?: number | null;
  search?: string | null;
}

/** `''` and null both mean "none" for the optional texts. */
function optionalText(value: string | null | undefined): string | null | undefined {
  return value === undefined ? undefined : value || null;
}

export class OrganizationsService {
  constructor(private readonly ctx: RequestContext) {}

  /** Batched by id within the caller's tenant; other tenants' organizations and non-UUIDs are null. */
  load(id: string): Promise<Organization | null> {
    return this.ctx.byId(OrganizationEntity, id);
  }

  async get(id: string): Promise<Organization | null> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(id);
  }

  async list(args: OrganizationListArgs): Promise<Connection<Organization>> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    const page = pageRequest(args);
    const { search } = parseInput(listSchema, { search: args.search });
    const where: FilterQuery<Organization> = search ? { name: { $ilike: `%${search.replace(/[\\%_]/g, (match) => `\\${match}`)}%` } } : {};
    return findPage(this.ctx.em(), OrganizationEntity, where, { name: 'asc', id: 'asc' }, page);
  }

  async create(input: unknown): Promise<Organization> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(createOrganizationSchema, input);
    const em = this.ctx.em();
    const organization = em.create(OrganizationEntity, {
      id: randomUUID(),
      tenantId: caller.tenantId,
      name: data.name,
      industry: optionalText(data.industry) ?? null,
      size: optionalText(data.size) ?? null,
      address: optionalText(data.address) ?? null,
      customFields: data.customFields ?? {},
    });
    recordEvent(em, {
      type: 'organization.created',
      tenantId: organization.tenantId,
      aggregateId: organization.id,
      payload: { organizationId: organization.id },
    });
    await em.flush();
    return organization;
  }

  async update(id: string, input: unknown): Promise<Organization> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(updateOrganizationSchema, input);
    return this.ctx.em().transactional(async (em) => {
      const organization = await this.require(em, id, LockMode.PESSIMISTIC_WRITE);
      const changes: Partial<Pick<Organization, 'name' | 'industry' | 'size' | 'address' | 'customFields'>> = {
        name: data.name,
        industry: optionalText(data.industry),
        size: optionalText(data.size),
        address: optionalText(data.address),
        customFields: data.customFields,
      };
      const fields = Object.keys(applyChanges(organization, changes));
      if (fields.length === 0) return organization;
      recordEvent(em, {
        type: 'organization.updated',
        tenantId: organization.tenantId,
        aggregateId: organization.id,
        payload: { organizationId: organization.id, fields },
      });
      return organization;
    });
  }

  /** Deletes an organization; its customers stay, without an organization, in the same transaction. */
  async delete(id: string): Promise<boolean> {
    authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    await this.ctx.em().transactional(async (em) => {
      // The row lock makes a concurrent createCustomer/updateCustomer linking to it wait, then fail validation.
      const organization = await this.require(em, id, LockMode.PESSIMISTIC_WRITE);
      const unlinkedCustomers = await unlinkOrganizationCustomers(em, organization.id);
      em.remove(organization);
      recordEvent(em, {
        type: 'organization.deleted',
        tenantId: organization.tenantId,
        aggregateId: organization.id,
        payload: { organizationId: organization.id, unlinkedCustomers },
      });
    });
    return true;
  }

  /**
   * Inside a customer's transaction: the organization must exist in the tenant; it stays
   * locked (FOR SHARE) until commit, so a concurrent delete cannot strand the customer.
   */
  async lockForMembership(em: EntityManager, id: string, field: string): Promise<Organization> {
    const organization = isUuid(id) ? await em.findOne(OrganizationEntity, { id }, { lockMode: LockMode.PESSIMISTIC_READ }) : null;
    if (!organization) throw new ValidationError([{ field, message: `organization ${id} does not exist` }]);
    return organization;
  }

  private async require(em: EntityManager, id: string, lockMode?: LockMode): Promise<Organization> {
    const organization = isUuid(id) ? await em.findOne(OrganizationEntity, { id }, { lockMode, refresh: lockMode !== undefined }) : null;
    if (!organization) throw new NotFoundError('Organization', id);
    return organization;
  }
}

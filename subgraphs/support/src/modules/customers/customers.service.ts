import { randomUUID } from 'node:crypto';
import type DataLoader from 'dataloader';
import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize, type Caller } from '@deskgraph/auth';
import { applyChanges, flushOrConflict, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { ConflictError, NotFoundError, ValidationError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { email, isUuid, phoneE164, tags, trimmedText, uuid } from '@deskgraph/validation';
import { moveCustomerConversations, type Actor } from '../conversations/conversation-ownership.js';
import { ConversationEntity } from '../conversations/conversation.entity.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import {
  collectIdentities,
  describeIdentity,
  deviceFingerprint,
  identityKey,
  identityValue,
  networkName,
  socialIdInput,
  sortIdentities,
  type IdentityKey,
  type NewIdentity,
} from './customer-identities.js';
import { CustomerIdentityEntity, identityKinds, type CustomerIdentity, type IdentityKind } from './customer-identity.entity.js';
import { CustomerMergeEntity } from './customer-merge.entity.js';
import { CustomerRepository, type CustomerListFilter } from './customer.repository.js';
import { CustomerEntity, customerStatuses, type Customer } from './customer.entity.js';
import type { MergeCustomersResult, ResolveCustomerResult } from './customer.types.js';

/** Identities one list field of an input may carry. */
const MAX_IDENTITIES = 50;

const customerName = trimmedText(200).min(1, { message: 'is required' });
const slaTier = z.string().trim().toLowerCase().min(1, { message: 'is required' }).max(50);
const avatarUrl = z
  .string()
  .trim()
  .max(2048)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http or https URL' }));
const customFields = z
  .record(z.string(), z.unknown())
  .refine((value) => JSON.stringify(value).length <= 16_384, { message: 'must be at most 16 KB of JSON' });

const createCustomerSchema = z.object({
  name: customerName,
  email: email.nullish(),
  emails: z.array(email).max(MAX_IDENTITIES).nullish(),
  phone: phoneE164.nullish(),
  phoneNumbers: z.array(phoneE164).max(MAX_IDENTITIES).nullish(),
  socialIds: z.array(socialIdInput).max(MAX_IDENTITIES).nullish(),
  deviceFingerprints: z.array(deviceFingerprint).max(MAX_IDENTITIES).nullish(),
  company: trimmedText(200).nullish(),
  avatarUrl: avatarUrl.nullish(),
  organizationId: uuid.nullish(),
  slaTier: slaTier.nullish(),
  status: z.enum(customerStatuses).nullish(),
  tags: tags.nullish(),
  segments: tags.nullish(),
  riskFlags: tags.nullish(),
  customFields: customFields.nullish(),
});

const updateCustomerSchema = z.object({
  name: customerName.optional(),
  company: trimmedText(200).nullish(),
  avatarUrl: avatarUrl.nullish(),
  organizationId: uuid.nullish(),
  slaTier: slaTier.optional(),
  status: z.enum(customerStatuses).optional(),
  tags: tags.optional(),
  segments: tags.optional(),
  riskFlags: tags.optional(),
  customFields: customFields.optional(),
});

const listFilterSchema = z.object({
  filter: z.object({
    search: z.string().max(200).nullish(),
    slaTier: z.string().trim().toLowerCase().max(50).nullish(),
    tags: tags.nullish(),
    segments: tags.nullish(),
    status: z.enum(customerStatuses).nullish(),
    organizationId: z.string().nullish(),
  }),
});

const identityInputSchema = z.object({
  kind: z.enum(identityKinds),
  network: z.string().nullish(),
  value: z.string(),
  isPrimary: z.boolean().nullish(),
});

const resolveCustomerSchema = z
  .object({
    email: email.nullish(),
    phone: phoneE164.nullish(),
    social: socialIdInput.nullish(),
    deviceFingerprint: deviceFingerprint.nullish(),
    name: customerName.nullish(),
  })
  .superRefine((input, context) => {
    const given = [input.email, input.phone, input.social, input.deviceFingerprint].filter(
      (value) => value !== null && value !== undefined,
    );
    if (given.length !== 1) {
      context.addIssue({ code: 'custom', message: 'give exactly one of email, phone, social or deviceFingerprint', path: [] });
    }
  });

const mergeCustomersSchema = z.object({ targetId: z.string(), sourceCustomerId: z.string() });

/** Validates and normalises one identity of a kind; `field` prefixes the error paths. */
function parseIdentity(kind: IdentityKind, value: string, network: string | null | undefined): IdentityKey {
  const schema = z.object({
    value: identityValue[kind],
    network: kind === 'social' ? networkName : z.string().max(0, { message: 'is only for SOCIAL identities' }).nullish(),
  });
  const parsed = parseInput(schema, { value, network });
  return { kind, network: parsed.network ?? '', value: parsed.value };
}

function actorOf(caller: Caller): Actor {
  switch (caller.kind) {
    case 'user':
      return { kind: 'user', id: caller.userId };
    case 'apiKey':
      return { kind: 'apiKey', id: caller.apiKeyId };
    case 'system':
      return { kind: 'system', id: null };
    case 'visitor':
      return { kind: 'customer', id: caller.customerId ?? null };
  }
}

function union(first: string[], second: string[]): string[] {
  return [...new Set([...first, ...second])];
}

export class CustomersService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly organizations: OrganizationsService,
  ) {}

  private repository(em: EntityManager = this.ctx.em()): CustomerRepository {
    return new CustomerRepository(em);
  }

  /**
   * The customer an id answers as: itself, or the customer it was merged into (batched,
   * no authorization: for other modules' fields). Other tenants' ids and non-UUIDs are null.
   */
  load(id: string): Promise<Customer | null> {
    return this.resolveLoader().load(id);
  }

  async get(id: string): Promise<Customer | null> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(id);
  }

  async list(filter: CustomerListFilter, args: Parameters<typeof pageRequest>[0]): Promise<Connection<Customer>> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    const page = pageRequest(args);
    const parsed = parseInput(listFilterSchema, { filter }).filter;
    return this.repository().list(parsed, page);
  }

  /** A customer's identities, primary ones first, then the oldest (one query per page of customers). */
  identities(customerId: string): Promise<CustomerIdentity[]> {
    return this.identitiesLoader().load(customerId);
  }

  /** Live customers of an organization (one grouped query per page of organizations). */
  countInOrganization(organizationId: string): Promise<number> {
    return this.ctx
      .loader<string, number>('customers.countByOrganization', async (organizationIds) => {
        const counts = await this.repository().countByOrganization(organizationIds);
        return organizationIds.map((id) => counts.get(id) ?? 0);
      })
      .load(organizationId);
  }

  async create(input: unknown): Promise<Customer> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(createCustomerSchema, input);
    const identities = collectIdentities([
      ...[data.email, ...(data.emails ?? [])].flatMap((value) => (value ? [{ kind: 'email' as const, network: '', value }] : [])),
      ...[data.phone, ...(data.phoneNumbers ?? [])].flatMap((value) => (value ? [{ kind: 'phone' as const, network: '', value }] : [])),
      ...(data.socialIds ?? []).map((social) => ({ kind: 'social' as const, network: social.network, value: social.id })),
      ...(data.deviceFingerprints ?? []).map((value) => ({ kind: 'device' as const, network: '', value })),
    ]);
    const customer = await this.ctx.em().transactional(async (em) => {
      if (data.organizationId) await this.organizations.lockForMembership(em, data.organizationId, 'organizationId');
      await this.assertUnowned(em, identities, null);
      const created = this.createRecord(em, caller.tenantId, {
        name: data.name,
        company: data.company || null,
        avatarUrl: data.avatarUrl ?? null,
        organizationId: data.organizationId ?? null,
        slaTier: data.slaTier ?? 'standard',
        status: data.status ?? 'active',
        tags: data.tags ?? [],
        segments: data.segments ?? [],
        riskFlags: data.riskFlags ?? [],
        customFields: data.customFields ?? {},
      });
      this.addIdentities(em, created, identities);
      recordEvent(em, {
        type: 'customer.created',
        tenantId: created.tenantId,
        aggregateId: created.id,
        payload: { customerId: created.id },
      });
      await flushOrConflict(em, 'An identity of the new customer already belongs to another customer');
      return created;
    });
    this.forget(customer.id);
    return customer;
  }

  async update(id: string, input: unknown): Promise<Customer> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(updateCustomerSchema, input);
    return this.ctx.em().transactional(async (em) => {
      const customer = await this.lockLive(em, id);
      if (data.organizationId) await this.organizations.lockForMembership(em, data.organizationId, 'organizationId');
      const changes: Partial<Customer> = {
        name: data.name,
        company: data.company === undefined ? undefined : data.company || null,
        avatarUrl: data.avatarUrl,
        organizationId: data.organizationId,
        slaTier: data.slaTier,
        status: data.status,
        tags: data.tags,
        segments: data.segments,
        riskFlags: data.riskFlags,
        customFields: data.customFields,
      };
      const fields = Object.keys(applyChanges(customer, changes));
      if (fields.length === 0) return customer;
      recordEvent(em, {
        type: 'customer.updated',
        tenantId: customer.tenantId,
        aggregateId: customer.id,
        payload: { customerId: customer.id, fields },
      });
      return customer;
    });
  }

  /** Deletes a customer without conversations; a merged customer is history and stays. */
  async delete(id: string): Promise<boolean> {
    authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    await this.ctx.em().transactional(async (em) => {
      const customer = isUuid(id)
        ? await em.findOne(CustomerEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true })
        : null;
      if (!customer) throw new NotFoundError('Customer', id);
      if (customer.mergedIntoId) throw new ConflictError(`Customer ${id} was merged into ${customer.mergedIntoId} and is kept as history`);
      const conversations = await em.count(ConversationEntity, { customerId: customer.id });
      if (conversations > 0) {
        throw new ConflictError(`Customer ${id} has ${conversations} conversation(s); merge or deactivate the customer instead`);
      }
      await em.nativeDelete(CustomerIdentityEntity, { customerId: customer.id });
      // Customers merged into this one only redirected to it.
      await em.nativeDelete(CustomerEntity, { mergedIntoId: customer.id });
      em.remove(customer);
      recordEvent(em, {
        type: 'customer.deleted',
        tenantId: customer.tenantId,
        aggregateId: customer.id,
        payload: { customerId: customer.id },
      });
    });
    this.forget(id);
    return true;
  }

  async addIdentity(customerId: string, input: unknown): Promise<Customer> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(identityInputSchema, input);
    const key = parseIdentity(data.kind, data.value, data.network);
    const customer = await this.ctx.em().transactional(async (em) => {
      const customer = await this.lockLive(em, customerId);
      const [existing] = await this.assertUnowned(em, [key], customer.id);
      const sameKind = await em.find(CustomerIdentityEntity, { customerId: customer.id, kind: key.kind }, { refresh: true });
      if (existing && (existing.isPrimary || !data.isPrimary)) return customer;
      const makePrimary = data.isPrimary === true || sameKind.length === 0;
      if (makePrimary) for (const identity of sameKind) identity.isPrimary = false;
      if (existing) existing.isPrimary = true;
      else this.addIdentities(em, customer, [{ ...key, isPrimary: makePrimary }]);
      this.touch(em, customer, ['identities']);
      await flushOrConflict(em, `The ${describeIdentity(key)} already belongs to another customer`);
      return customer;
    });
    this.forget(customer.id);
    return customer;
  }

  async removeIdentity(customerId: string, args: { kind: IdentityKind; value: string; network?: string | null }): Promise<Customer> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(identityInputSchema, args);
    const network = data.kind === 'social' ? parseInput(z.object({ network: networkName }), { network: data.network }).network : '';
    // The value as stored, or any form that normalises to it.
    const normalised = identityValue[data.kind].safeParse(data.value);
    const values = [...new Set([data.value, data.value.trim(), ...(normalised.success ? [normalised.data] : [])])];
    const customer = await this.ctx.em().transactional(async (em) => {
      const customer = await this.lockLive(em, customerId);
      const sameKind = await em.find(CustomerIdentityEntity, { customerId: customer.id, kind: data.kind }, { refresh: true });
      const removed = sameKind.find((identity) => identity.network === network && values.includes(identity.value));
      if (!removed) {
        throw new NotFoundError(
          `The ${describeIdentity({ kind: data.kind, network, value: data.value.trim() })} of customer ${customer.id}`,
        );
      }
      em.remove(removed);
      if (removed.isPrimary) {
        const next = sortIdentities(sameKind.filter((identity) => identity !== removed))[0];
        if (next) next.isPrimary = true;
      }
      this.touch(em, customer, ['identities']);
      return customer;
    });
    this.forget(customer.id);
    return customer;
  }

  /**
   * The customer owning an identity (following merges), or a new one with that identity.
   * Race-safe: when two requests create the same identity, the unique constraint lets one
   * win and the other finds the winner's customer.
   */
  async resolveIdentity(input: unknown): Promise<ResolveCustomerResult> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(resolveCustomerSchema, input);
    const key: IdentityKey = data.email
      ? { kind: 'email', network: '', value: data.email }
      : data.phone
        ? { kind: 'phone', network: '', value: data.phone }
        : data.social
          ? { kind: 'social', network: data.social.network, value: data.social.id }
          : { kind: 'device', network: '', value: data.deviceFingerprint ?? '' };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const owner = await this.ownerOf(key);
      if (owner) return { customer: owner, created: false };
      try {
        const customer = await this.ctx.em().transactional(async (em) => {
          const created = this.createRecord(em, caller.tenantId, { name: data.name ?? key.value.slice(0, 200) });
          this.addIdentities(em, created, [{ ...key, isPrimary: true }]);
          recordEvent(em, {
            type: 'customer.created',
            tenantId: created.tenantId,
            aggregateId: created.id,
            payload: { customerId: created.id, resolvedFrom: key.kind },
          });
          return created;
        });
        this.forget(customer.id);
        return { customer, created: true };
      } catch (error) {
        // Another request created this identity first: look again.
        if (!(error instanceof UniqueConstraintViolationException)) throw error;
      }
    }
    throw new ConflictError(`The ${describeIdentity(key)} is being changed concurrently; try again`);
  }

  /**
   * Merges the source customer into the target in one transaction: identities,
   * conversations, messages and labels move; the source stays as a tombstone.
   */
  async merge(input: unknown): Promise<MergeCustomersResult> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const { targetId, sourceCustomerId } = parseInput(mergeCustomersSchema, input);
    if (targetId === sourceCustomerId) {
      throw new ValidationError([{ field: 'sourceCustomerId', message: 'cannot merge a customer into itself' }]);
    }
    const result = await this.ctx.em().transactional((em) => this.mergeInTransaction(em, caller, sourceCustomerId, targetId));
    this.forget(sourceCustomerId, targetId, result.customer.id);
    return result;
  }

  private async mergeInTransaction(
    em: EntityManager,
    caller: Caller,
    sourceId: string,
    requestedTargetId: string,
  ): Promise<MergeCustomersResult> {
    const repository = this.repository(em);
    const [resolvedTarget] = await repository.resolveMany([requestedTargetId], em);
    if (!resolvedTarget) throw new NotFoundError('Customer', requestedTargetId);
    if (!isUuid(sourceId)) throw new NotFoundError('Customer', sourceId);
    if (resolvedTarget.id === sourceId) {
      throw new ValidationError([
        { field: 'targetId', message: `customer ${requestedTargetId} was merged into the source; it is the same customer` },
      ]);
    }
    // Both rows locked in id order, so two merges of the same pair cannot deadlock.
    const locked = await em.find(
      CustomerEntity,
      { id: { $in: [sourceId, resolvedTarget.id] } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' }, refresh: true },
    );
    const source = locked.find((customer) => customer.id === sourceId);
    const target = locked.find((customer) => customer.id === resolvedTarget.id);
    if (!source) throw new NotFoundError('Customer', sourceId);
    if (!target) throw new NotFoundError('Customer', requestedTargetId);
    if (target.mergedIntoId) throw new ConflictError(`Customer ${target.id} was merged meanwhile; try again`);
    if (source.mergedIntoId) {
      const [sourceNow] = await repository.resolveMany([source.id], em);
      if (sourceNow?.id === target.id)
        return { customer: target, movedIdentities: 0, movedConversations: 0, movedMessages: 0, merged: false };
      throw new ConflictError(`Customer ${source.id} was already merged into another customer (${source.mergedIntoId})`);
    }

    // Identities are unique per tenant, so moving them cannot clash; the target keeps its primaries.
    const targetPrimaryKinds = (await em.find(CustomerIdentityEntity, { customerId: target.id, isPrimary: true })).map(
      (identity) => identity.kind,
    );
    let movedIdentities = 0;
    if (targetPrimaryKinds.length > 0) {
      movedIdentities += await em.nativeUpdate(
        CustomerIdentityEntity,
        { customerId: source.id, kind: { $in: targetPrimaryKinds } },
        { customerId: target.id, isPrimary: false },
      );
    }
    movedIdentities += await em.nativeUpdate(CustomerIdentityEntity, { customerId: source.id }, { customerId: target.id });
    const moved = await moveCustomerConversations(em, target.tenantId, source.id, target.id, actorOf(caller));

    target.tags = union(target.tags, source.tags);
    target.segments = union(target.segments, source.segments);
    target.riskFlags = union(target.riskFlags, source.riskFlags);
    target.company ||= source.company;
    target.avatarUrl ||= source.avatarUrl;
    target.organizationId ??= source.organizationId;
    target.customFields = { ...source.customFields, ...target.customFields };
    if (source.lastContactAt && (!target.lastContactAt || source.lastContactAt > target.lastContactAt))
      target.lastContactAt = source.lastContactAt;

    const mergedAt = new Date();
    source.mergedIntoId = target.id;
    source.mergedAt = mergedAt;
    // Customers merged into the source earlier now point straight at the target.
    await em.nativeUpdate(CustomerEntity, { mergedIntoId: source.id }, { mergedIntoId: target.id });
    const mergedBy = caller.userId ?? caller.apiKeyId ?? 'system';
    em.create(CustomerMergeEntity, {
      id: randomUUID(),
      tenantId: target.tenantId,
      sourceId: source.id,
      targetId: target.id,
      mergedBy,
      movedIdentities,
      movedConversations: moved.conversations,
      movedMessages: moved.messages,
      mergedAt,
    });
    recordEvent(em, {
      type: 'customer.merged',
      tenantId: target.tenantId,
      aggregateId: target.id,
      payload: {
        sourceId: source.id,
        targetId: target.id,
        movedIdentities,
        movedConversations: moved.conversations,
        movedMessages: moved.messages,
        mergedBy,
      },
    });
    await flushOrConflict(em, `Customer ${source.id} was merged concurrently`);
    return { customer: target, movedIdentities, movedConversations: moved.conversations, movedMessages: moved.messages, merged: true };
  }

  /** The live customer an identity belongs to, or null. */
  private async ownerOf(key: IdentityKey): Promise<Customer | null> {
    const em = this.ctx.em();
    const [identity] = await this.repository(em).findIdentities([key], em);
    if (!identity) return null;
    const [customer] = await this.repository(em).resolveMany([identity.customerId], em);
    return customer ?? null;
  }

  /** CONFLICT when one of the identities belongs to another customer than `customerId`; returns those found. */
  private async assertUnowned(em: EntityManager, identities: IdentityKey[], customerId: string | null): Promise<CustomerIdentity[]> {
    const found = await this.repository(em).findIdentities(identities, em);
    const taken = found.find((identity) => identity.customerId !== customerId);
    if (taken) throw new ConflictError(`The ${describeIdentity(taken)} already belongs to customer ${taken.customerId}`);
    const byKey = new Map(found.map((identity) => [identityKey(identity), identity]));
    return identities.flatMap((identity) => byKey.get(identityKey(identity)) ?? []);
  }

  /**
   * Locks the customer an id answers as (following merges) for the rest of the
   * transaction; a merge that lands meanwhile is followed.
   */
  private async lockLive(em: EntityManager, id: string): Promise<Customer> {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const [customer] = await this.repository(em).resolveMany([id], em);
      if (!customer) throw new NotFoundError('Customer', id);
      const locked = await em.findOne(CustomerEntity, { id: customer.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (locked && !locked.mergedIntoId) return locked;
    }
    throw new ConflictError(`Customer ${id} is being merged; try again`);
  }

  private createRecord(
    em: EntityManager,
    tenantId: string,
    fields: Partial<Omit<Customer, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>> & { name: string },
  ): Customer {
    return em.create(CustomerEntity, {
      id: randomUUID(),
      tenantId,
      company: null,
      avatarUrl: null,
      organizationId: null,
      slaTier: 'standard',
      status: 'active',
      tags: [],
      segments: [],
      riskFlags: [],
      customFields: {},
      mergedIntoId: null,
      mergedAt: null,
      lastContactAt: null,
      ...fields,
    });
  }

  private addIdentities(em: EntityManager, customer: Customer, identities: NewIdentity[]): void {
    for (const identity of identities) {
      em.create(CustomerIdentityEntity, {
        id: randomUUID(),
        tenantId: customer.tenantId,
        customerId: customer.id,
        kind: identity.kind,
        network: identity.network,
        value: identity.value,
        isPrimary: identity.isPrimary,
      });
    }
  }

  /** Marks the customer changed (its identities live in another table) and announces it. */
  private touch(em: EntityManager, customer: Customer, fields: string[]): void {
    customer.updatedAt = new Date();
    recordEvent(em, {
      type: 'customer.updated',
      tenantId: customer.tenantId,
      aggregateId: customer.id,
      payload: { customerId: customer.id, fields },
    });
  }

  /** Drops this request's cached lookups of customers a mutation changed. */
  private forget(...ids: string[]): void {
    for (const id of ids) {
      this.resolveLoader().clear(id);
      this.identitiesLoader().clear(id);
    }
  }

  private resolveLoader(): DataLoader<string, Customer | null> {
    return this.ctx.loader<string, Customer | null>('customers.resolve', (ids) => this.repository().resolveMany(ids));
  }

  private identitiesLoader(): DataLoader<string, CustomerIdentity[]> {
    return this.ctx.loader<string, CustomerIdentity[]>('customers.identities', async (customerIds) => {
      const rows = await this.repository().identitiesOf(customerIds);
      const byCustomer = new Map<string, CustomerIdentity[]>();
      for (const row of rows) byCustomer.set(row.customerId, [...(byCustomer.get(row.customerId) ?? []), row]);
      return customerIds.map((id) => sortIdentities(byCustomer.get(id) ?? []));
    });
  }
}

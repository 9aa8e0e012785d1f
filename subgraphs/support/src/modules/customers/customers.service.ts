import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { findPage, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { email, phoneE164, tags, trimmedText } from '@deskgraph/validation';
import { CustomerEntity, customerStatuses, type Customer } from './customer.entity.js';

const createCustomerSchema = z.object({
  name: trimmedText(200).min(1, { message: 'is required' }),
  email: email.nullish(),
  phone: phoneE164.nullish(),
  company: trimmedText(200).nullish(),
  status: z.enum(customerStatuses).default('active'),
  tags: tags.default([]),
});

export class CustomersService {
  constructor(private readonly ctx: RequestContext) {}

  /** Batched by id within the caller's tenant; other tenants' customers and non-UUIDs are null. */
  load(id: string): Promise<Customer | null> {
    return this.ctx.byId(CustomerEntity, id);
  }

  async get(id: string): Promise<Customer | null> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(id);
  }

  async list(args: { first?: number | null; after?: string | null }): Promise<Connection<Customer>> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return findPage(this.ctx.em(), CustomerEntity, {}, { createdAt: 'desc', id: 'desc' }, pageRequest(args));
  }

  async create(input: unknown): Promise<Customer> {
    const caller = authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'write' });
    const data = parseInput(createCustomerSchema, input);
    const em = this.ctx.em();
    const customer = em.create(CustomerEntity, {
      id: randomUUID(),
      tenantId: caller.tenantId,
      name: data.name,
      email: data.email ?? null,
      phone: data.phone ?? null,
      company: data.company || null,
      status: data.status,
      tags: data.tags,
    });
    recordEvent(em, {
      type: 'customer.created',
      tenantId: customer.tenantId,
      aggregateId: customer.id,
      payload: { customerId: customer.id },
    });
    await em.flush();
    return customer;
  }
}
export type CustomerConnection = Connection<Customer>;

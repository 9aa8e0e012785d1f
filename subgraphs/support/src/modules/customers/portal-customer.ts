import type { Caller } from '@deskgraph/auth';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import type { DirectoryService } from '../directory/directory.service.js';
import { CustomerRepository } from './customer.repository.js';

/**
 * Which customer record a customer-side caller acts as. A web-chat visitor's is in their
 * token. A portal customer (an identity user with role CUSTOMER) is the live customer of the
 * tenant that owns an EMAIL identity equal to the user's email as support's directory last
 * heard it from identity; a merged customer leads to its target. The link is eventually
 * consistent: until identity's `user.*` event carrying the email is applied, or while no
 * customer owns that email, a portal user is no customer at all. Lookups are batched per request.
 */
export class PortalCustomers {
  constructor(
    private readonly ctx: RequestContext,
    private readonly directory: DirectoryService,
  ) {}

  /**
   * The customer id a customer-side caller acts as; null when they are linked to none, undefined
   * for callers that are not customers (agents, admins, API keys, the system).
   */
  async actingCustomerId(caller: Caller): Promise<string | null | undefined> {
    if (caller.kind === 'visitor') return caller.customerId ?? null;
    if (caller.role !== 'customer') return undefined;
    return caller.kind === 'user' && caller.userId ? this.customerIdOf(caller.userId) : null;
  }

  /** The live customer a portal user is; null for unknown or inactive users, users without an email and emails no customer owns. */
  async customerIdOf(userId: string): Promise<string | null> {
    const user = await this.directory.user(userId);
    if (!user?.active || !user.email) return null;
    return this.ctx
      .loader<string, string | null>('customers.portalByEmail', async (emails) => {
        const repository = new CustomerRepository(this.ctx.em());
        const identities = await repository.findIdentities(emails.map((value) => ({ kind: 'email', network: '', value })));
        const owners = new Map(identities.map((identity) => [identity.value, identity.customerId]));
        const customerIds = emails.map((value) => owners.get(value) ?? '');
        const live = await repository.resolveMany(customerIds);
        return live.map((customer) => customer?.id ?? null);
      })
      .load(user.email);
  }
}

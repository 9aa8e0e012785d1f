import { describe, expect, it } from 'vitest';
import { GET_CUSTOMER, uniqueEmail, uniquePhone, useSupportSubgraph } from './support-harness.js';

const { data, failure, caller, createCustomer, eventsOf } = useSupportSubgraph();

const RESOLVE = `mutation ($input: ResolveCustomerInput!) {
  resolveCustomer(input: $input) { created customer { id name email phone identityGraph { socialIds deviceFingerprints } } }
}`;
const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merged } }`;
const COUNT = `query { customers { totalCount } }`;

interface Resolved {
  created: boolean;
  customer: { id: string; name: string; email: string | null; phone: string | null; identityGraph: Record<string, unknown> };
}

async function resolve(token: string, input: Record<string, unknown>): Promise<Resolved> {
  return (await data<{ resolveCustomer: Resolved }>(RESOLVE, { input }, token)).resolveCustomer;
}

describe('resolving a customer from an identity', () => {
  it('finds the customer owning an email given in any case, without creating one', async () => {
    const { token } = await caller('agent');
    const address = uniqueEmail('known');
    const known = await createCustomer(token, { name: 'Known', email: address });
    expect(await resolve(token, { email: address.toUpperCase() })).toEqual({
      created: false,
      customer: expect.objectContaining({ id: known.id, name: 'Known' }),
    });
    expect((await data(COUNT, {}, token)).customers.totalCount).toBe(1);
  });

  it('finds the owner of a phone number written differently and of a social id', async () => {
    const { token } = await caller();
    const phone = uniquePhone();
    const known = await createCustomer(token, { name: 'Reachable', phone, socialIds: [{ network: 'facebook', id: '998877' }] });
    const spaced = `${phone.slice(0, 2)} (${phone.slice(2, 5)}) ${phone.slice(5, 8)}-${phone.slice(8)}`;
    expect((await resolve(token, { phone: spaced })).customer.id).toBe(known.id);
    expect((await resolve(token, { social: { network: 'FACEBOOK', id: '998877' } })).customer.id).toBe(known.id);
  });

  it('creates a customer named after the input or, without a name, after the identity, and announces it', async () => {
    const { tenantId, token } = await caller();
    const address = uniqueEmail('new');
    const named = await resolve(token, { email: address, name: 'Walk-in Visitor' });
    expect(named).toEqual({ created: true, customer: expect.objectContaining({ name: 'Walk-in Visitor', email: address }) });

    const device = await resolve(token, { deviceFingerprint: 'fp-7f3a' });
    expect(device.created).toBe(true);
    expect(device.customer).toMatchObject({ name: 'fp-7f3a', identityGraph: { deviceFingerprints: ['fp-7f3a'] } });

    const social = await resolve(token, { social: { network: 'WhatsApp', id: '4915112345678' } });
    expect(social.customer).toMatchObject({ name: '4915112345678', identityGraph: { socialIds: { whatsapp: '4915112345678' } } });

    const again = await resolve(token, { email: address, name: 'Someone Else' });
    expect(again).toEqual({ created: false, customer: expect.objectContaining({ id: named.customer.id, name: 'Walk-in Visitor' }) });
    const events = await eventsOf(tenantId, 'customer.created');
    expect(events.map((event) => event.payload)).toEqual([
      { customerId: named.customer.id, resolvedFrom: 'email' },
      { customerId: device.customer.id, resolvedFrom: 'device' },
      { customerId: social.customer.id, resolvedFrom: 'social' },
    ]);
  });

  it('asks for exactly one identity and a valid one', async () => {
    const { token } = await caller();
    for (const input of [{}, { email: uniqueEmail('a'), phone: uniquePhone() }, { name: 'Only A Name' }]) {
      expect(await failure(RESOLVE, { input }, token)).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: '(root)' }] });
    }
    expect(await failure(RESOLVE, { input: { phone: '12' } }, token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'phone' }],
    });
  });

  it('creates one customer when five requests resolve the same new email at once', async () => {
    const { token } = await caller();
    const address = uniqueEmail('race');
    const results = await Promise.all(Array.from({ length: 5 }, () => resolve(token, { email: address })));
    expect(new Set(results.map((result) => result.customer.id)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect((await data(COUNT, {}, token)).customers.totalCount).toBe(1);
  });

  it("answers with the merge target for an identity of a merged customer, and never with another tenant's customer", async () => {
    const { token } = await caller();
    const stranger = await caller();
    const address = uniqueEmail('merged-away');
    const target = await createCustomer(token, { name: 'Target' });
    const source = await createCustomer(token, { name: 'Source', email: address });
    await data(MERGE, { input: { targetId: target.id, sourceCustomerId: source.id } }, token);
    expect(await resolve(token, { email: address })).toEqual({ created: false, customer: expect.objectContaining({ id: target.id }) });
    expect((await data(GET_CUSTOMER, { id: source.id }, token)).customer.id).toBe(target.id);

    const elsewhere = await resolve(stranger.token, { email: address });
    expect(elsewhere.created).toBe(true);
    expect(elsewhere.customer.id).not.toBe(target.id);
  });

  it('is refused to customer-role callers and read-only credentials', async () => {
    const customer = await caller('customer');
    const reader = await caller('agent', { scopes: ['read'] });
    expect((await failure(RESOLVE, { input: { email: uniqueEmail('x') } }, customer.token)).code).toBe('FORBIDDEN');
    expect((await failure(RESOLVE, { input: { email: uniqueEmail('x') } }, reader.token)).code).toBe('FORBIDDEN');
  });
});

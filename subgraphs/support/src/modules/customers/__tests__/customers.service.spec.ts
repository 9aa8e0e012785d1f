import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CUSTOMER, CREATE_CUSTOMER, GET_CUSTOMER, uniqueEmail, uniquePhone, useSupportSubgraph } from './support-harness.js';

const { data, failure, caller, createCustomer, createOrganization, insertConversation, eventsOf, support } = useSupportSubgraph();

const UPDATE = `mutation ($id: ID!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, input: $input) { ${CUSTOMER} } }`;
const DELETE = `mutation ($id: ID!) { deleteCustomer(id: $id) }`;
const ADD_IDENTITY = `mutation ($customerId: ID!, $input: AddCustomerIdentityInput!) {
  addCustomerIdentity(customerId: $customerId, input: $input) { ${CUSTOMER} }
}`;
const REMOVE_IDENTITY = `mutation ($customerId: ID!, $kind: IdentityKind!, $value: String!, $network: String) {
  removeCustomerIdentity(customerId: $customerId, kind: $kind, value: $value, network: $network) { ${CUSTOMER} }
}`;
const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Customer { id name email } } }`;
const LIST = `query { customers { totalCount nodes { id } } }`;

describe('creating customers', () => {
  it('creates a customer with two emails, a phone, social ids and a device, shown as its identity graph', async () => {
    const agent = await caller('agent');
    const work = uniqueEmail('John.Doe').toUpperCase();
    const home = uniqueEmail('john');
    const created = await createCustomer(agent.token, {
      name: '  John Doe ',
      emails: [work, home],
      phone: '+1 (415) 555-2671',
      socialIds: [
        { network: 'Facebook', id: '123456' },
        { network: 'twitter', id: 'johnd' },
      ],
      deviceFingerprints: ['fp-1'],
      company: 'Acme Inc',
      avatarUrl: 'https://cdn.example.com/john.png',
      slaTier: 'Premium',
      tags: ['VIP', ' vip', 'Enterprise'],
      segments: ['high-value'],
      customFields: { plan: 'gold' },
    });
    expect(created).toMatchObject({
      name: 'John Doe',
      email: work.toLowerCase(),
      phone: '+14155552671',
      company: 'Acme Inc',
      avatarUrl: 'https://cdn.example.com/john.png',
      profile: { name: 'John Doe', company: 'Acme Inc', avatarUrl: 'https://cdn.example.com/john.png' },
      slaTier: 'premium',
      status: 'ACTIVE',
      tags: ['vip', 'enterprise'],
      segments: ['high-value'],
      riskFlags: [],
      customFields: { plan: 'gold' },
      organization: null,
      identityGraph: {
        emails: [work.toLowerCase(), home],
        phoneNumbers: ['+14155552671'],
        socialIds: { facebook: '123456', twitter: 'johnd' },
        socialAccounts: expect.arrayContaining([
          { network: 'facebook', id: '123456' },
          { network: 'twitter', id: 'johnd' },
        ]),
        deviceFingerprints: ['fp-1'],
      },
    });
    const primaries = created.identities.filter((identity: { isPrimary: boolean }) => identity.isPrimary);
    expect(primaries.map((identity: { kind: string }) => identity.kind).sort()).toEqual(['DEVICE', 'EMAIL', 'PHONE', 'SOCIAL']);
    expect(created.identities.slice(0, 4).every((identity: { isPrimary: boolean }) => identity.isPrimary)).toBe(true);
    expect(created.identities).toContainEqual({ kind: 'EMAIL', network: null, value: home, isPrimary: false });

    expect(await data(GET_CUSTOMER, { id: created.id }, agent.token)).toEqual({ customer: created });
  });

  it('collapses identities the input repeats in another spelling, keeping the first as primary', async () => {
    const { token } = await caller();
    const address = uniqueEmail('twice');
    const created = await createCustomer(token, {
      name: 'Twice',
      email: address.toUpperCase(),
      emails: [address, ` ${address} `],
      phoneNumbers: ['+44 20 7946 0958', '+442079460958'],
    });
    expect(created.identityGraph).toMatchObject({ emails: [address], phoneNumbers: ['+442079460958'] });
    expect(created.identities).toHaveLength(2);
  });

  it('keeps a given status, defaults the SLA tier and leaves unknown contact details null', async () => {
    const { token } = await caller();
    const created = await createCustomer(token, { name: 'Blocked Person', status: 'BLOCKED' });
    expect(created).toMatchObject({
      status: 'BLOCKED',
      slaTier: 'standard',
      email: null,
      phone: null,
      company: null,
      tags: [],
      identities: [],
    });
  });

  it('reports every invalid field of a new customer at once', async () => {
    const { token } = await caller();
    const result = await failure(
      CREATE_CUSTOMER,
      { input: { name: '   ', email: 'not-an-email', phone: '12', avatarUrl: 'javascript:alert(1)', customFields: [1] } },
      token,
    );
    expect(result.code).toBe('VALIDATION_ERROR');
    expect(result.details?.map((detail) => detail.field)).toEqual(
      expect.arrayContaining(['name', 'email', 'phone', 'avatarUrl', 'customFields']),
    );
  });

  it('names the position of an invalid phone number in the list', async () => {
    const { token } = await caller();
    const result = await failure(CREATE_CUSTOMER, { input: { name: 'Bad Phone', phoneNumbers: ['+14155552671', '555-12'] } }, token);
    expect(result).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'phoneNumbers.1' }] });
  });

  it('refuses an identity another customer of the tenant owns, naming it, and creates nothing', async () => {
    const { tenantId, token } = await caller();
    const address = uniqueEmail('owned');
    const owner = await createCustomer(token, { name: 'Owner', email: address });
    const result = await failure(
      CREATE_CUSTOMER,
      { input: { name: 'Claimant', emails: [uniqueEmail('free'), address.toUpperCase()] } },
      token,
    );
    expect(result.code).toBe('CONFLICT');
    expect(result.message).toContain(`email ${address}`);
    expect(result.message).toContain(owner.id);
    expect((await data(LIST, {}, token)).customers.totalCount).toBe(1);
    expect(await eventsOf(tenantId, 'customer.created')).toHaveLength(1);
  });

  it('links a customer to an organization of the tenant only', async () => {
    const alpha = await caller();
    const beta = await caller();
    const own = await createOrganization(alpha.token, { name: 'Acme' });
    const foreign = await createOrganization(beta.token, { name: 'Globex' });
    const linked = await createCustomer(alpha.token, { name: 'Member', organizationId: own.id });
    expect(linked).toMatchObject({ organizationId: own.id, organization: { id: own.id, name: 'Acme' } });
    const refused = await failure(CREATE_CUSTOMER, { input: { name: 'Intruder', organizationId: foreign.id } }, alpha.token);
    expect(refused).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'organizationId' }] });
  });

  it('announces customer.created once the customer is committed, and nothing for a refused one', async () => {
    const { tenantId, token } = await caller();
    await support().run(CREATE_CUSTOMER, { input: { name: '' } }, token);
    const created = await createCustomer(token, { name: 'Announced Customer' });
    const events = await eventsOf(tenantId, 'customer.created');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ source: 'support', aggregateId: created.id, payload: { customerId: created.id } });
  });
});

describe('customer access', () => {
  it('lets two tenants have customers with the same email, each seeing only its own', async () => {
    const alpha = await caller();
    const beta = await caller();
    const address = uniqueEmail('shared');
    const a = await createCustomer(alpha.token, { name: 'Alpha Customer', email: address });
    const b = await createCustomer(beta.token, { name: 'Beta Customer', email: address });
    expect(a.email).toBe(address);
    expect(b.email).toBe(address);
    expect((await data(GET_CUSTOMER, { id: b.id }, alpha.token)).customer).toBeNull();
    expect((await data(GET_CUSTOMER, { id: 'not-a-uuid' }, alpha.token)).customer).toBeNull();
  });

  it("answers NOT_FOUND to every mutation on another tenant's customer", async () => {
    const owner = await caller();
    const stranger = await caller();
    const { id } = await createCustomer(owner.token, { name: 'Private Customer' });
    const attempts = [
      failure(UPDATE, { id, input: { name: 'Taken' } }, stranger.token),
      failure(DELETE, { id }, stranger.token),
      failure(ADD_IDENTITY, { customerId: id, input: { kind: 'EMAIL', value: uniqueEmail('x') } }, stranger.token),
      failure(REMOVE_IDENTITY, { customerId: id, kind: 'EMAIL', value: 'x@example.com' }, stranger.token),
    ];
    for (const attempt of await Promise.all(attempts)) expect(attempt.code).toBe('NOT_FOUND');
    expect((await data(GET_CUSTOMER, { id }, owner.token)).customer.name).toBe('Private Customer');
  });

  it('refuses customer-role callers and anonymous requests', async () => {
    const { token } = await caller('customer');
    expect((await failure(CREATE_CUSTOMER, { input: { name: 'Someone' } }, token)).code).toBe('FORBIDDEN');
    expect((await failure(LIST, {}, token)).code).toBe('FORBIDDEN');
    expect((await failure(GET_CUSTOMER, { id: randomUUID() }, token)).code).toBe('FORBIDDEN');
    expect((await failure(LIST, {}, null)).code).toBe('UNAUTHORIZED');
  });

  it('refuses to change customers with a read-only credential', async () => {
    const { token } = await caller('agent', { scopes: ['read'] });
    const result = await failure(CREATE_CUSTOMER, { input: { name: 'Someone' } }, token);
    expect(result).toMatchObject({ code: 'FORBIDDEN', message: 'Requires scope write' });
  });

  it('resolves a Customer reference through _entities for its own tenant only', async () => {
    const owner = await caller();
    const stranger = await caller();
    const address = uniqueEmail('ref');
    const created = await createCustomer(owner.token, { name: 'Referenced Customer', email: address });
    const representations = [
      { __typename: 'Customer', id: created.id },
      { __typename: 'Customer', id: randomUUID() },
    ];
    expect((await data(ENTITIES, { representations }, owner.token))._entities).toEqual([
      { id: created.id, name: 'Referenced Customer', email: address },
      null,
    ]);
    expect((await data(ENTITIES, { representations }, stranger.token))._entities).toEqual([null, null]);
  });
});

describe('updating customers', () => {
  it('changes the profile, removes nullable fields with null, replaces labels and announces the changed fields', async () => {
    const { tenantId, token } = await caller('agent');
    const organization = await createOrganization(token, { name: 'Initech' });
    const created = await createCustomer(token, { name: 'Before', company: 'Old Co', avatarUrl: 'https://x.example/a.png', tags: ['a'] });
    const { updateCustomer } = await data(
      UPDATE,
      {
        id: created.id,
        input: {
          name: 'After',
          company: null,
          avatarUrl: null,
          organizationId: organization.id,
          slaTier: 'ENTERPRISE',
          status: 'INACTIVE',
          tags: ['B', 'c'],
          segments: ['churn-risk'],
          riskFlags: ['chargeback'],
          customFields: { tier: 2 },
        },
      },
      token,
    );
    expect(updateCustomer).toMatchObject({
      name: 'After',
      company: null,
      avatarUrl: null,
      organization: { id: organization.id },
      slaTier: 'enterprise',
      status: 'INACTIVE',
      tags: ['b', 'c'],
      segments: ['churn-risk'],
      riskFlags: ['chargeback'],
      customFields: { tier: 2 },
    });
    expect(new Date(updateCustomer.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(created.updatedAt).getTime());

    await data(UPDATE, { id: created.id, input: { name: 'After', tags: ['b', 'c'] } }, token);
    const events = await eventsOf(tenantId, 'customer.updated');
    expect(events).toHaveLength(1);
    expect((events[0]?.payload.fields as string[]).sort()).toEqual(
      ['avatarUrl', 'company', 'customFields', 'name', 'organizationId', 'riskFlags', 'segments', 'slaTier', 'status', 'tags'].sort(),
    );
  });

  it('refuses a null name and an unknown organization', async () => {
    const { token } = await caller();
    const { id } = await createCustomer(token, { name: 'Named' });
    expect(await failure(UPDATE, { id, input: { name: null } }, token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'name' }],
    });
    expect(await failure(UPDATE, { id, input: { organizationId: randomUUID() } }, token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'organizationId' }],
    });
  });
});

describe('customer identities', () => {
  it('adds a phone number given in any format, normalised to E.164', async () => {
    const { token } = await caller();
    const { id } = await createCustomer(token, { name: 'Caller', email: uniqueEmail('caller') });
    const { addCustomerIdentity } = await data(ADD_IDENTITY, { customerId: id, input: { kind: 'PHONE', value: '+49 30 901820' } }, token);
    expect(addCustomerIdentity).toMatchObject({ phone: '+4930901820', identityGraph: { phoneNumbers: ['+4930901820'] } });
    expect(addCustomerIdentity.identities).toContainEqual({ kind: 'PHONE', network: null, value: '+4930901820', isPrimary: true });
  });

  it("refuses an identity another customer owns, and changes nothing when it is already the customer's", async () => {
    const { tenantId, token } = await caller();
    const taken = uniqueEmail('taken');
    await createCustomer(token, { name: 'Owner', email: taken });
    const { id, email } = await createCustomer(token, { name: 'Other', email: uniqueEmail('other') });
    const conflict = await failure(ADD_IDENTITY, { customerId: id, input: { kind: 'EMAIL', value: taken.toUpperCase() } }, token);
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.message).toContain(`email ${taken}`);

    const again = await data(ADD_IDENTITY, { customerId: id, input: { kind: 'EMAIL', value: email } }, token);
    expect(again.addCustomerIdentity.identities).toHaveLength(1);
    expect(await eventsOf(tenantId, 'customer.updated')).toHaveLength(0);
  });

  it('makes a new or existing identity primary and demotes the old primary of its kind', async () => {
    const { token } = await caller();
    const first = uniqueEmail('first');
    const second = uniqueEmail('second');
    const { id } = await createCustomer(token, { name: 'Switcher', emails: [first, second] });
    const promoted = (await data(ADD_IDENTITY, { customerId: id, input: { kind: 'EMAIL', value: second, isPrimary: true } }, token))
      .addCustomerIdentity;
    expect(promoted.email).toBe(second);
    expect(promoted.identityGraph.emails).toEqual([second, first]);

    const third = uniqueEmail('third');
    const added = (await data(ADD_IDENTITY, { customerId: id, input: { kind: 'EMAIL', value: third, isPrimary: true } }, token))
      .addCustomerIdentity;
    expect(added.email).toBe(third);
    expect(added.identities.filter((identity: { isPrimary: boolean }) => identity.isPrimary)).toHaveLength(1);
  });

  it('adds social accounts with a lower-case network and requires the network for them only', async () => {
    const { token } = await caller();
    const { id } = await createCustomer(token, { name: 'Social' });
    const added = await data(
      ADD_IDENTITY,
      { customerId: id, input: { kind: 'SOCIAL', network: ' WhatsApp ', value: '4915112345678' } },
      token,
    );
    expect(added.addCustomerIdentity.identityGraph.socialIds).toEqual({ whatsapp: '4915112345678' });
    expect(await failure(ADD_IDENTITY, { customerId: id, input: { kind: 'SOCIAL', value: '1' } }, token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'network' }],
    });
    expect(
      await failure(ADD_IDENTITY, { customerId: id, input: { kind: 'EMAIL', network: 'facebook', value: uniqueEmail('n') } }, token),
    ).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'network' }] });
  });

  it('removes an identity given in any form that normalises to it and promotes the next of its kind', async () => {
    const { token } = await caller();
    const phone = uniquePhone();
    const other = uniquePhone();
    const { id } = await createCustomer(token, { name: 'Remover', phoneNumbers: [phone, other] });
    const spaced = `${phone.slice(0, 2)} ${phone.slice(2, 5)} ${phone.slice(5)}`;
    const { removeCustomerIdentity } = await data(REMOVE_IDENTITY, { customerId: id, kind: 'PHONE', value: spaced }, token);
    expect(removeCustomerIdentity.identityGraph.phoneNumbers).toEqual([other]);
    expect(removeCustomerIdentity.identities).toEqual([{ kind: 'PHONE', network: null, value: other, isPrimary: true }]);
    expect((await failure(REMOVE_IDENTITY, { customerId: id, kind: 'PHONE', value: phone }, token)).code).toBe('NOT_FOUND');
  });
});

describe('deleting customers', () => {
  it('lets only admins delete, frees the identities for reuse and announces it', async () => {
    const admin = await caller('admin');
    const agent = await caller('agent', { tenantId: admin.tenantId });
    const address = uniqueEmail('gone');
    const { id } = await createCustomer(admin.token, { name: 'Leaving', email: address });
    expect((await failure(DELETE, { id }, agent.token)).code).toBe('FORBIDDEN');

    expect(await data(DELETE, { id }, admin.token)).toEqual({ deleteCustomer: true });
    expect((await data(GET_CUSTOMER, { id }, admin.token)).customer).toBeNull();
    expect((await failure(DELETE, { id }, admin.token)).code).toBe('NOT_FOUND');
    expect((await createCustomer(admin.token, { name: 'Returning', email: address })).email).toBe(address);
    expect((await eventsOf(admin.tenantId, 'customer.deleted')).map((event) => event.aggregateId)).toEqual([id]);
  });

  it('refuses to delete a customer who has conversations', async () => {
    const { tenantId, token } = await caller();
    const { id } = await createCustomer(token, { name: 'Has History' });
    await insertConversation(tenantId, id);
    const refused = await failure(DELETE, { id }, token);
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain('1 conversation');
    expect((await data(GET_CUSTOMER, { id }, token)).customer.id).toBe(id);
  });
});

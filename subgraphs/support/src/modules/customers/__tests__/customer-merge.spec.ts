import { describe, expect, it } from 'vitest';
import { ConversationEventEntity } from '../../conversations/conversation-event.entity.js';
import { ConversationEntity } from '../../conversations/conversation.entity.js';
import { MessageEntity } from '../../messages/message.entity.js';
import { CustomerMergeEntity } from '../customer-merge.entity.js';
import { CustomerEntity } from '../customer.entity.js';
import { CUSTOMER, GET_CUSTOMER, uniqueEmail, uniquePhone, useSupportSubgraph } from './support-harness.js';

const { data, failure, caller, createCustomer, createOrganization, insertConversation, rows, eventsOf } = useSupportSubgraph();

const MERGE = `mutation ($input: MergeCustomersInput!) {
  mergeCustomers(input: $input) { merged movedIdentities movedConversations movedMessages customer { ${CUSTOMER} } }
}`;
const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Customer { id name } } }`;

const merge = (token: string, targetId: string, sourceCustomerId: string) =>
  data(MERGE, { input: { targetId, sourceCustomerId } }, token).then((result) => result.mergeCustomers);

describe('merging customers', () => {
  it('moves identities, labels, conversations and messages to the target in one audited step', async () => {
    const { tenantId, userId, token } = await caller('agent');
    const organization = await createOrganization(token, { name: 'Umbrella' });
    const targetEmail = uniqueEmail('target');
    const sourceEmail = uniqueEmail('source');
    const sourcePhone = uniquePhone();
    const target = await createCustomer(token, { name: 'Jane Target', email: targetEmail, tags: ['vip'], segments: ['emea'] });
    const source = await createCustomer(token, {
      name: 'J. Target',
      emails: [sourceEmail],
      phone: sourcePhone,
      company: 'Umbrella Corp',
      avatarUrl: 'https://cdn.example.com/j.png',
      organizationId: organization.id,
      tags: ['billing', 'vip'],
      segments: ['smb'],
      riskFlags: ['chargeback'],
      customFields: { crmId: 'S-1' },
    });
    const first = await insertConversation(tenantId, source.id, 2);
    const second = await insertConversation(tenantId, source.id, 1);
    await insertConversation(tenantId, target.id, 1);

    const result = await merge(token, target.id, source.id);
    expect(result).toMatchObject({ merged: true, movedIdentities: 2, movedConversations: 2, movedMessages: 3 });
    expect(result.customer).toMatchObject({
      id: target.id,
      name: 'Jane Target',
      email: targetEmail,
      phone: sourcePhone,
      company: 'Umbrella Corp',
      avatarUrl: 'https://cdn.example.com/j.png',
      organizationId: organization.id,
      tags: ['vip', 'billing'],
      segments: ['emea', 'smb'],
      riskFlags: ['chargeback'],
      customFields: { crmId: 'S-1' },
      identityGraph: { emails: [targetEmail, sourceEmail], phoneNumbers: [sourcePhone] },
    });
    // The target keeps its primary email; the source's primary phone stays primary (the target had none).
    expect(result.customer.identities).toContainEqual({ kind: 'EMAIL', network: null, value: sourceEmail, isPrimary: false });
    expect(result.customer.identities).toContainEqual({ kind: 'PHONE', network: null, value: sourcePhone, isPrimary: true });

    const em = rows(tenantId);
    expect(await em.count(ConversationEntity, { customerId: target.id })).toBe(3);
    expect(await em.count(ConversationEntity, { customerId: source.id })).toBe(0);
    expect(await em.count(MessageEntity, { id: { $in: [...first.messageIds, ...second.messageIds] }, customerId: target.id })).toBe(3);
    const history = await em.find(ConversationEventEntity, { conversationId: first.conversationId, type: 'customer_changed' });
    expect(history).toMatchObject([{ actorKind: 'user', actorId: userId, data: { from: source.id, to: target.id, reason: 'merge' } }]);

    const tombstone = await em.findOneOrFail(CustomerEntity, { id: source.id });
    expect(tombstone.mergedIntoId).toBe(target.id);
    expect(tombstone.mergedAt).toBeInstanceOf(Date);
    expect(await em.find(CustomerMergeEntity, { sourceId: source.id })).toMatchObject([
      { targetId: target.id, mergedBy: userId, movedIdentities: 2, movedConversations: 2, movedMessages: 3 },
    ]);
    const events = await eventsOf(tenantId, 'customer.merged');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      aggregateId: target.id,
      payload: { sourceId: source.id, targetId: target.id, movedConversations: 2, movedMessages: 3 },
    });
  });

  it('answers with the target for the source id, through customer and _entities', async () => {
    const { token } = await caller();
    const target = await createCustomer(token, { name: 'Survivor' });
    const source = await createCustomer(token, { name: 'Tombstone' });
    await merge(token, target.id, source.id);
    expect((await data(GET_CUSTOMER, { id: source.id }, token)).customer).toMatchObject({ id: target.id, name: 'Survivor' });
    const representations = [{ __typename: 'Customer', id: source.id }];
    expect((await data(ENTITIES, { representations }, token))._entities).toEqual([{ id: target.id, name: 'Survivor' }]);
  });

  it('changes nothing when the same merge is repeated', async () => {
    const { tenantId, token } = await caller();
    const target = await createCustomer(token, { name: 'Target' });
    const source = await createCustomer(token, { name: 'Source', email: uniqueEmail('again'), tags: ['x'] });
    await insertConversation(tenantId, source.id, 1);
    await merge(token, target.id, source.id);
    const before = (await data(GET_CUSTOMER, { id: target.id }, token)).customer;

    const repeated = await merge(token, target.id, source.id);
    expect(repeated).toMatchObject({
      merged: false,
      movedIdentities: 0,
      movedConversations: 0,
      movedMessages: 0,
      customer: { id: target.id },
    });
    expect((await data(GET_CUSTOMER, { id: target.id }, token)).customer).toEqual(before);
    expect(await eventsOf(tenantId, 'customer.merged')).toHaveLength(1);
    expect(await rows(tenantId).count(CustomerMergeEntity, {})).toBe(1);
  });

  it('refuses to merge a customer into itself, directly or through an earlier merge', async () => {
    const { token } = await caller();
    const a = await createCustomer(token, { name: 'A' });
    const b = await createCustomer(token, { name: 'B' });
    expect(await failure(MERGE, { input: { targetId: a.id, sourceCustomerId: a.id } }, token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'sourceCustomerId' }],
    });
    await merge(token, a.id, b.id);
    // b now answers as a: merging a into b would merge a into itself.
    expect((await failure(MERGE, { input: { targetId: b.id, sourceCustomerId: a.id } }, token)).code).toBe('VALIDATION_ERROR');
  });

  it('refuses a source or target of another tenant, or an unknown one, as NOT_FOUND and moves nothing', async () => {
    const alpha = await caller();
    const beta = await caller();
    const own = await createCustomer(alpha.token, { name: 'Own', email: uniqueEmail('own') });
    const foreign = await createCustomer(beta.token, { name: 'Foreign', email: uniqueEmail('foreign') });
    for (const input of [
      { targetId: own.id, sourceCustomerId: foreign.id },
      { targetId: foreign.id, sourceCustomerId: own.id },
      { targetId: own.id, sourceCustomerId: 'not-a-uuid' },
    ]) {
      expect((await failure(MERGE, { input }, alpha.token)).code).toBe('NOT_FOUND');
    }
    expect((await data(GET_CUSTOMER, { id: foreign.id }, beta.token)).customer.identities).toHaveLength(1);
    expect((await data(GET_CUSTOMER, { id: own.id }, alpha.token)).customer.identities).toHaveLength(1);
  });

  it('merges into the final target when the target was itself merged, and re-points earlier tombstones', async () => {
    const { tenantId, token } = await caller();
    const a = await createCustomer(token, { name: 'A' });
    const b = await createCustomer(token, { name: 'B' });
    const c = await createCustomer(token, { name: 'C', email: uniqueEmail('c') });
    const d = await createCustomer(token, { name: 'D' });
    await merge(token, b.id, a.id); // a → b
    await merge(token, c.id, b.id); // b → c, so a → c
    const em = rows(tenantId);
    expect((await em.findOneOrFail(CustomerEntity, { id: a.id })).mergedIntoId).toBe(c.id);

    const result = await merge(token, b.id, d.id); // b answers as c
    expect(result).toMatchObject({ merged: true, customer: { id: c.id } });
    expect((await em.findOneOrFail(CustomerEntity, { id: d.id }, { refresh: true })).mergedIntoId).toBe(c.id);
    expect((await data(GET_CUSTOMER, { id: a.id }, token)).customer.id).toBe(c.id);
    // a was merged into b, which now answers as c: asking again is the same merge.
    expect(await merge(token, c.id, a.id)).toMatchObject({ merged: false });
  });

  it('refuses a source already merged into another customer', async () => {
    const { token } = await caller();
    const first = await createCustomer(token, { name: 'First Target' });
    const second = await createCustomer(token, { name: 'Second Target' });
    const source = await createCustomer(token, { name: 'Source' });
    await merge(token, first.id, source.id);
    const refused = await failure(MERGE, { input: { targetId: second.id, sourceCustomerId: source.id } }, token);
    expect(refused.code).toBe('CONFLICT');
    expect(refused.message).toContain(first.id);
  });

  it('is refused to customer-role callers and read-only credentials', async () => {
    const admin = await caller();
    const target = await createCustomer(admin.token, { name: 'T' });
    const source = await createCustomer(admin.token, { name: 'S' });
    const input = { targetId: target.id, sourceCustomerId: source.id };
    const customer = await caller('customer', { tenantId: admin.tenantId });
    const reader = await caller('agent', { tenantId: admin.tenantId, scopes: ['read'] });
    expect((await failure(MERGE, { input }, customer.token)).code).toBe('FORBIDDEN');
    expect((await failure(MERGE, { input }, reader.token)).code).toBe('FORBIDDEN');
  });

  it('lets only one of two concurrent opposite merges of the same pair happen', async () => {
    const { token } = await caller();
    const a = await createCustomer(token, { name: 'A', email: uniqueEmail('a') });
    const b = await createCustomer(token, { name: 'B', email: uniqueEmail('b') });
    const [ab, ba] = await Promise.all([
      data(MERGE, { input: { targetId: a.id, sourceCustomerId: b.id } }, token).catch((error: Error) => error),
      data(MERGE, { input: { targetId: b.id, sourceCustomerId: a.id } }, token).catch((error: Error) => error),
    ]);
    const refused = [ab, ba].filter((outcome) => outcome instanceof Error);
    expect(refused).toHaveLength(1);
    expect(String(refused[0]?.message)).toContain('"code":"CONFLICT"');
    const survivor = (await data(GET_CUSTOMER, { id: a.id }, token)).customer;
    expect((await data(GET_CUSTOMER, { id: b.id }, token)).customer.id).toBe(survivor.id);
    expect(survivor.identities).toHaveLength(2);
  });
});

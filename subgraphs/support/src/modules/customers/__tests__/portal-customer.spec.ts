import { describe, expect, it } from 'vitest';
import {
  SEND_MESSAGE,
  identityEvent,
  testEmail,
  useSupportSubgraph,
  type TestTenant,
} from '../../conversations/__tests__/support-harness.js';

const { support, db, data, failure, publish, tenant, customer, customerWithEmail, portalCustomer, createConversation, send, eventsOf } =
  useSupportSubgraph();

const MERGE = `mutation ($input: MergeCustomersInput!) { mergeCustomers(input: $input) { merged } }`;
const TYPING = `mutation ($id: ID!) { setTyping(conversationId: $id, isTyping: true) }`;

async function conversationOf(t: TestTenant, customerId: string): Promise<string> {
  return (await createConversation(t, { customerId, channel: 'WEB_CHAT', initialMessage: { content: 'Hello' } })).id as string;
}

/** A portal user of the tenant; with an email, support's directory knows it (identity's `user.created`). */
async function portalUser(t: TestTenant, email?: string): Promise<{ token: string; userId: string }> {
  const { caller, token } = await support().caller({ role: 'customer', tenantId: t.tenantId });
  const payload = { userId: caller.userId, role: 'customer', isActive: true, ...(email === undefined ? {} : { email }) };
  await publish(identityEvent('user.created', t.tenantId, payload));
  return { token, userId: caller.userId! };
}

/** What a refused send must not have written. */
async function written(conversationId: string) {
  const [{ count }] = await db().withSchema('support').from('messages').where({ conversation_id: conversationId }).count({ count: '*' });
  const row = await db().withSchema('support').from('conversations').where({ id: conversationId }).first();
  return { messages: Number(count), messageCount: row.message_count as number };
}

async function refusedAsAbsent(token: string, conversationId: string): Promise<void> {
  const before = await written(conversationId);
  const refused = await failure(SEND_MESSAGE, { conversationId, input: { content: 'let me in' } }, token);
  expect(refused.code).toBe('NOT_FOUND');
  expect(refused.message).toContain(conversationId);
  expect(await written(conversationId)).toEqual(before);
}

describe('portal customers', () => {
  it('post INBOUND, as CUSTOMER, into the conversations of the customer record that owns their email', async () => {
    const t = await tenant();
    const id = await conversationOf(t, await portalCustomer(t));
    const sent = await send(t.portal, id, { content: 'Any news?' });
    expect(sent).toMatchObject({
      conversationId: id,
      direction: 'INBOUND',
      senderType: 'CUSTOMER',
      senderId: t.portalUserId,
      isInternal: false,
    });
    expect(await written(id)).toEqual({ messages: 2, messageCount: 2 });
  });

  it('answer NOT_FOUND for another customer’s conversation and write nothing', async () => {
    const t = await tenant();
    await portalCustomer(t);
    const theirs = await conversationOf(t, await customerWithEmail(t, testEmail('someone-else')));
    const messageEvents = (await eventsOf(t.tenantId, 'message.created')).length;
    await refusedAsAbsent(t.portal, theirs);
    expect((await failure(TYPING, { id: theirs }, t.portal)).code).toBe('NOT_FOUND');
    expect(await eventsOf(t.tenantId, 'message.created')).toHaveLength(messageEvents);
  });

  it('answer NOT_FOUND everywhere while no customer record owns their email, or support does not know it yet', async () => {
    const t = await tenant();
    const id = await conversationOf(t, await customer(t));
    await refusedAsAbsent(t.portal, id);
    const withoutEmail = await portalUser(t);
    await refusedAsAbsent(withoutEmail.token, id);
    const unknown = (await support().caller({ role: 'customer', tenantId: t.tenantId })).token;
    await refusedAsAbsent(unknown, id);
  });

  it('follow a merge of their customer record into the target’s conversations', async () => {
    const t = await tenant();
    const mine = await portalCustomer(t);
    const target = await customer(t, 'Target');
    const before = await conversationOf(t, mine);
    const targets = await conversationOf(t, target);
    await refusedAsAbsent(t.portal, targets);
    expect((await data(MERGE, { input: { targetId: target, sourceCustomerId: mine } }, t.agent)).mergeCustomers.merged).toBe(true);
    for (const id of [before, targets]) {
      expect(await send(t.portal, id, { content: 'after the merge' })).toMatchObject({ direction: 'INBOUND', senderType: 'CUSTOMER' });
    }
  });

  it('follow their email when identity announces a change, and lose the link when deactivated', async () => {
    const t = await tenant();
    const first = await conversationOf(t, await portalCustomer(t));
    const nextEmail = testEmail('moved');
    const second = await conversationOf(t, await customerWithEmail(t, nextEmail));
    await publish(
      identityEvent('user.updated', t.tenantId, { userId: t.portalUserId, email: nextEmail, role: 'customer', isActive: true }),
    );
    await refusedAsAbsent(t.portal, first);
    expect(await send(t.portal, second, { content: 'new address' })).toMatchObject({ direction: 'INBOUND' });
    await publish(
      identityEvent('user.deactivated', t.tenantId, { userId: t.portalUserId, email: nextEmail, role: 'customer', isActive: false }),
    );
    await refusedAsAbsent(t.portal, second);
  });

  it('never link to another tenant’s customer with the same email', async () => {
    const t = await tenant();
    const other = await tenant();
    const theirs = await conversationOf(other, await customerWithEmail(other, t.portalEmail));
    const ours = await conversationOf(t, await customer(t));
    await refusedAsAbsent(t.portal, ours);
    await refusedAsAbsent(t.portal, theirs);
    // The other tenant's own portal user with that email is linked there, and only there.
    const twin = await portalUser(other, t.portalEmail);
    expect(await send(twin.token, theirs, { content: 'mine' })).toMatchObject({ direction: 'INBOUND' });
    await refusedAsAbsent(twin.token, ours);
  });

  it('type only in their own customer record’s conversations', async () => {
    const t = await tenant();
    const mine = await conversationOf(t, await portalCustomer(t));
    const theirs = await conversationOf(t, await customer(t));
    expect(await data(TYPING, { id: mine }, t.portal)).toEqual({ setTyping: true });
    expect((await failure(TYPING, { id: theirs }, t.portal)).code).toBe('NOT_FOUND');
    expect((await failure(TYPING, { id: mine }, (await portalUser(t, testEmail())).token)).code).toBe('NOT_FOUND');
  });
});

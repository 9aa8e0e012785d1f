import { nextWithin } from '@deskgraph/testing';
import { randomUUID } from 'node:crypto';
import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useSupportSubgraph } from '../../conversations/__tests__/support-harness.js';

const harness = useSupportSubgraph();
const { tenant, customer, createConversation, send, support, data, failure } = harness;

const MESSAGES = `subscription ($id: ID) { conversationMessageAdded(conversationId: $id) { conversationId message { id content senderType } } }`;

describe('support subscriptions', () => {
  it('delivers a new message of the watched conversation with its fields read after commit', async () => {
    const team = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'first' },
    });
    await support().settle();
    const stream = await support().subscribe(MESSAGES, { id: conversation.id }, team.agent);
    const sent = await send(team.agent, conversation.id, { content: 'Hello there' });
    await support().settle();
    expect(await nextWithin(stream)).toEqual({
      data: {
        conversationMessageAdded: {
          conversationId: conversation.id,
          message: { id: sent.id, content: 'Hello there', senderType: 'AGENT' },
        },
      },
    });
    await stream.return?.();
  });

  it('never delivers another tenant’s events, even to a subscriber that names their conversation', async () => {
    const team = await tenant();
    const stranger = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'private' },
    });
    const spying = await support().subscribe(MESSAGES, { id: conversation.id }, stranger.agent);
    const everything = await support().subscribe(MESSAGES, {}, stranger.agent);
    await send(team.agent, conversation.id, { content: 'secret' });
    await support().settle();
    expect(await nextWithin(spying, 500)).toBeNull();
    expect(await nextWithin(everything, 200)).toBeNull();
    await spying.return?.();
    await everything.return?.();
  });

  it('delivers nothing for a conversation id that is not a UUID, rather than everything', async () => {
    const team = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'x' },
    });
    await support().settle();
    const stream = await support().subscribe(MESSAGES, { id: 'not-a-uuid' }, team.agent);
    await send(team.agent, conversation.id, { content: 'anyone there?' });
    await support().settle();
    expect(await nextWithin(stream, 500)).toBeNull();
    await stream.return?.();
  });

  it('leaves internal notes out of the message stream', async () => {
    const team = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'x' },
    });
    await support().settle();
    const stream = await support().subscribe(MESSAGES, { id: conversation.id }, team.agent);
    await send(team.agent, conversation.id, { content: 'note', internal: true });
    await send(team.agent, conversation.id, { content: 'visible' });
    await support().settle();
    expect((await nextWithin(stream))?.data).toMatchObject({ conversationMessageAdded: { message: { content: 'visible' } } });
    await stream.return?.();
  });

  it('announces state changes and assignments, and conversations new to the caller', async () => {
    const team = await tenant();
    const states = await support().subscribe(
      `subscription { conversationStateChanged { from to conversation { id state } } }`,
      {},
      team.agent,
    );
    const assignments = await support().subscribe(
      `subscription { conversationAssigned { agentId transfer conversation { id assignedAgentId } } }`,
      {},
      team.agent,
    );
    const mine = await support().subscribe(`subscription { conversationNew { id } }`, {}, team.agent);
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'x' },
    });
    await support().settle();
    expect((await nextWithin(mine))?.data).toEqual({ conversationNew: { id: conversation.id } });
    await data(
      `mutation ($id: ID!, $agent: ID!) { assignConversation(id: $id, input: { agentId: $agent }) { id } }`,
      { id: conversation.id, agent: team.agentId },
      team.admin,
    );
    await support().settle();
    expect((await nextWithin(states))?.data).toEqual({
      conversationStateChanged: { from: 'NEW', to: 'AWAITING_AGENT', conversation: { id: conversation.id, state: 'AWAITING_AGENT' } },
    });
    expect((await nextWithin(assignments))?.data).toEqual({
      conversationAssigned: {
        agentId: team.agentId,
        transfer: false,
        conversation: { id: conversation.id, assignedAgentId: team.agentId },
      },
    });
    expect((await nextWithin(mine))?.data).toEqual({ conversationNew: { id: conversation.id } });
    for (const stream of [states, assignments, mine]) await stream.return?.();
  });

  it('passes typing indicators without storing them', async () => {
    const team = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'WEB_CHAT',
      initialMessage: { content: 'x' },
    });
    const stream = await support().subscribe(
      `subscription ($id: ID!) { conversationTyping(conversationId: $id) { conversationId userId isTyping } }`,
      { id: conversation.id },
      team.agent,
    );
    await data(`mutation ($id: ID!) { setTyping(conversationId: $id, isTyping: true) }`, { id: conversation.id }, team.otherAgent);
    await support().bus.drain();
    expect((await nextWithin(stream))?.data).toEqual({
      conversationTyping: { conversationId: conversation.id, userId: team.otherAgentId, isTyping: true },
    });
    await stream.return?.();
  });

  it('lets a customer type only in their own conversations', async () => {
    const team = await tenant();
    const owner = await customer(team);
    const conversation = await createConversation(team, { customerId: owner, channel: 'WEB_CHAT', initialMessage: { content: 'x' } });
    const as = async (customerId: string) =>
      (await support().caller({ role: 'customer', tenantId: team.tenantId, kind: 'visitor', userId: null, customerId })).token;
    const TYPING = `mutation ($id: ID!) { setTyping(conversationId: $id, isTyping: true) }`;
    expect(await data(TYPING, { id: conversation.id }, await as(owner))).toEqual({ setTyping: true });
    expect((await failure(TYPING, { id: conversation.id }, await as(await customer(team)))).code).toBe('NOT_FOUND');
    expect((await failure(TYPING, { id: conversation.id }, team.portal)).code).toBe('NOT_FOUND');
  });

  it('refuses portal customers and unauthenticated callers', async () => {
    const team = await tenant();
    const portal = await support().subgraph.subscribe({ query: MESSAGES, variables: {}, callerToken: team.portal, requestId: 't' });
    const portalResult = Symbol.asyncIterator in portal ? await nextWithin(portal as AsyncIterator<FormattedExecutionResult>) : portal;
    expect(portalResult?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await support().subgraph.subscribe({ query: MESSAGES, variables: {}, callerToken: null, requestId: 't' });
    expect(Symbol.asyncIterator in anonymous ? null : anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHORIZED');
  });

  it('detaches from the bus as soon as a subscriber leaves, even while it waits for an event', async () => {
    const team = await tenant();
    const stream = await support().subscribe(MESSAGES, {}, team.agent);
    const waiting = stream.next();
    await stream.return?.();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });
});

const SLA_FIELDS = 'conversation { id state } dueAt minutesRemaining kind';

/** Publishes an SLA event of `tenantId` on the bus, as the SLA timers will (they come with the SLA issue). */
async function publishSla(
  type: 'sla.warning' | 'sla.breached',
  tenantId: string,
  payload: { conversationId: string; dueAt: string; kind: string },
  occurredAt = new Date(),
): Promise<void> {
  await support().bus.publish({
    id: randomUUID(),
    type,
    tenantId,
    aggregateId: payload.conversationId,
    source: 'support',
    occurredAt: occurredAt.toISOString(),
    payload,
  });
  await support().bus.drain();
}

const minutesFrom = (at: Date, minutes: number): string => new Date(at.getTime() + minutes * 60_000).toISOString();

describe('SLA alerts', () => {
  it('delivers warnings and breaches on their own streams with the conversation read at delivery', async () => {
    const team = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'x' },
    });
    const warnings = await support().subscribe(`subscription { slaWarning { ${SLA_FIELDS} } }`, {}, team.agent);
    const breaches = await support().subscribe(`subscription { slaBreached { ${SLA_FIELDS} } }`, {}, team.admin);
    const at = new Date();

    await publishSla(
      'sla.warning',
      team.tenantId,
      { conversationId: conversation.id, dueAt: minutesFrom(at, 30), kind: 'first_response' },
      at,
    );
    expect(await nextWithin(warnings)).toEqual({
      data: {
        slaWarning: {
          conversation: { id: conversation.id, state: 'NEW' },
          dueAt: minutesFrom(at, 30),
          minutesRemaining: 30,
          kind: 'FIRST_RESPONSE',
        },
      },
    });

    await data(
      `mutation ($id: ID!, $agent: ID!) { assignConversation(id: $id, input: { agentId: $agent }) { id } }`,
      { id: conversation.id, agent: team.agentId },
      team.admin,
    );
    await publishSla(
      'sla.breached',
      team.tenantId,
      { conversationId: conversation.id, dueAt: minutesFrom(at, -1.5), kind: 'resolution' },
      at,
    );
    expect(await nextWithin(breaches)).toEqual({
      data: {
        slaBreached: {
          conversation: { id: conversation.id, state: 'AWAITING_AGENT' },
          dueAt: minutesFrom(at, -1.5),
          minutesRemaining: -1,
          kind: 'RESOLUTION',
        },
      },
    });
    expect(await nextWithin(warnings, 200)).toBeNull();
    await warnings.return?.();
    await breaches.return?.();
  });

  it('reads the conversation afresh for every alert', async () => {
    const team = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'x' },
    });
    const warnings = await support().subscribe(`subscription { slaWarning { conversation { id state } } }`, {}, team.agent);
    const alert = { conversationId: conversation.id, dueAt: minutesFrom(new Date(), 10), kind: 'resolution' };
    await publishSla('sla.warning', team.tenantId, alert);
    expect((await nextWithin(warnings))?.data).toEqual({ slaWarning: { conversation: { id: conversation.id, state: 'NEW' } } });
    await data(
      `mutation ($id: ID!, $agent: ID!) { assignConversation(id: $id, input: { agentId: $agent }) { id } }`,
      { id: conversation.id, agent: team.agentId },
      team.admin,
    );
    await publishSla('sla.warning', team.tenantId, alert);
    expect((await nextWithin(warnings))?.data).toEqual({ slaWarning: { conversation: { id: conversation.id, state: 'AWAITING_AGENT' } } });
    await warnings.return?.();
  });

  it('never delivers another tenant’s alerts', async () => {
    const team = await tenant();
    const stranger = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'x' },
    });
    const warnings = await support().subscribe(`subscription { slaWarning { ${SLA_FIELDS} } }`, {}, stranger.agent);
    const breaches = await support().subscribe(`subscription { slaBreached { ${SLA_FIELDS} } }`, {}, stranger.admin);
    const alert = { conversationId: conversation.id, dueAt: new Date().toISOString(), kind: 'first_response' };
    await publishSla('sla.warning', team.tenantId, alert);
    await publishSla('sla.breached', team.tenantId, alert);
    expect(await nextWithin(warnings, 500)).toBeNull();
    expect(await nextWithin(breaches, 200)).toBeNull();
    await warnings.return?.();
    await breaches.return?.();
  });

  it('skips malformed alerts without ending the stream', async () => {
    const team = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'x' },
    });
    const warnings = await support().subscribe(`subscription { slaWarning { kind conversation { id } } }`, {}, team.agent);
    const dueAt = new Date().toISOString();
    await publishSla('sla.warning', team.tenantId, { conversationId: conversation.id, dueAt, kind: 'lunch_break' });
    await publishSla('sla.warning', team.tenantId, { conversationId: conversation.id, dueAt: 'tomorrow', kind: 'resolution' });
    await publishSla('sla.warning', team.tenantId, { conversationId: conversation.id, dueAt, kind: 'resolution' });
    expect((await nextWithin(warnings))?.data).toEqual({ slaWarning: { kind: 'RESOLUTION', conversation: { id: conversation.id } } });
    await warnings.return?.();
  });

  it('refuses portal customers', async () => {
    const team = await tenant();
    for (const field of ['slaWarning', 'slaBreached']) {
      const started = await support().subgraph.subscribe({
        query: `subscription { ${field} { kind } }`,
        variables: {},
        callerToken: team.portal,
        requestId: 't',
      });
      const result = Symbol.asyncIterator in started ? await nextWithin(started as AsyncIterator<FormattedExecutionResult>) : started;
      expect(result?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

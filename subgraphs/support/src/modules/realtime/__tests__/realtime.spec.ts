import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { useSupportSubgraph } from '../../conversations/__tests__/support-harness.js';

const harness = useSupportSubgraph();
const { tenant, customer, createConversation, send, support, data } = harness;

/** Starts a subscription on the subgraph as `token`; fails when it cannot start. */
async function subscribe(
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<AsyncIterableIterator<FormattedExecutionResult>> {
  const stream = await support().subgraph.subscribe({ query, variables, callerToken: token, requestId: 'test' });
  if (!(Symbol.asyncIterator in stream)) throw new Error(`subscription refused: ${JSON.stringify(stream)}`);
  return stream;
}

/** The next event, or null when none arrives within `ms`. */
async function nextWithin<T>(stream: AsyncIterator<T>, ms = 2000): Promise<T | null> {
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), ms));
  const next = stream.next().then((result) => (result.done ? null : result.value));
  return Promise.race([next, timeout]);
}

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
    const stream = await subscribe(MESSAGES, { id: conversation.id }, team.agent);
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
    const spying = await subscribe(MESSAGES, { id: conversation.id }, stranger.agent);
    const everything = await subscribe(MESSAGES, {}, stranger.agent);
    await send(team.agent, conversation.id, { content: 'secret' });
    await support().settle();
    expect(await nextWithin(spying, 500)).toBeNull();
    expect(await nextWithin(everything, 200)).toBeNull();
    await spying.return?.();
    await everything.return?.();
  });

  it('leaves internal notes out of the message stream', async () => {
    const team = await tenant();
    const conversation = await createConversation(team, {
      customerId: await customer(team),
      channel: 'EMAIL',
      initialMessage: { content: 'x' },
    });
    await support().settle();
    const stream = await subscribe(MESSAGES, { id: conversation.id }, team.agent);
    await send(team.agent, conversation.id, { content: 'note', internal: true });
    await send(team.agent, conversation.id, { content: 'visible' });
    await support().settle();
    expect((await nextWithin(stream))?.data).toMatchObject({ conversationMessageAdded: { message: { content: 'visible' } } });
    await stream.return?.();
  });

  it('announces state changes and assignments, and conversations new to the caller', async () => {
    const team = await tenant();
    const states = await subscribe(`subscription { conversationStateChanged { from to conversation { id state } } }`, {}, team.agent);
    const assignments = await subscribe(
      `subscription { conversationAssigned { agentId transfer conversation { id assignedAgentId } } }`,
      {},
      team.agent,
    );
    const mine = await subscribe(`subscription { conversationNew { id } }`, {}, team.agent);
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
    const stream = await subscribe(
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
    const stream = await subscribe(MESSAGES, {}, team.agent);
    const waiting = stream.next();
    await stream.return?.();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });
});

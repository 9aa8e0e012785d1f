import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addTeam,
  addUser,
  registerTenant,
  settleEvents,
  startTestGateway,
  type SignedIn,
  type TestGateway,
} from './support/test-gateway.js';

/** Support checks agents and teams against its directory, fed by identity's events through the outbox and the bus. */

let harness: TestGateway;
let admin: SignedIn;

beforeAll(async () => {
  harness = await startTestGateway();
  admin = await registerTenant(harness, 'Ada Admin');
});
afterAll(async () => harness?.stop());

/** A conversation of `customerId` opened over REST with a first message; its id. */
async function conversationOf(customerId: string, owner: SignedIn = admin): Promise<string> {
  const created = await harness.rest(
    'POST',
    '/v1/conversations',
    { customerId, channel: 'email', initialMessage: { content: 'Help' } },
    owner.headers,
  );
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.data.id as string;
}

async function openConversation(owner: SignedIn = admin): Promise<string> {
  const customerId = (await harness.rest('POST', '/v1/customers', { name: 'Casey Customer' }, owner.headers)).body.data.id as string;
  return conversationOf(customerId, owner);
}

function assign(conversationId: string, body: Record<string, unknown>, who: SignedIn = admin) {
  return harness.rest('POST', `/v1/conversations/${conversationId}/assign`, body, who.headers);
}

function expectRefused(response: { status: number; body: any }, field: string): void {
  expect(response.status, JSON.stringify(response.body)).toBe(400);
  expect(response.body.error).toMatchObject({
    code: 'VALIDATION_ERROR',
    details: [{ field, message: expect.stringMatching(/of this tenant$/) }],
  });
}

describe('assignment to identity’s members', () => {
  it('assigns a user or team created a moment ago, and follows deactivation, reactivation, role changes and deletion', async () => {
    const conversation = await openConversation();
    const agent = await addUser(harness, admin, 'agent');
    const teamId = await addTeam(harness, admin);
    const assigned = await assign(conversation, { agentId: agent.userId, teamId });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body.data).toMatchObject({ assignedAgentId: agent.userId, assignedTeamId: teamId });

    expect((await harness.rest('DELETE', `/v1/users/${agent.userId}`, undefined, admin.headers)).status).toBe(200);
    await settleEvents(harness);
    expectRefused(await assign(conversation, { agentId: agent.userId }), 'agentId');

    expect((await harness.rest('PATCH', `/v1/users/${agent.userId}`, { isActive: true }, admin.headers)).status).toBe(200);
    await settleEvents(harness);
    expect((await assign(conversation, { agentId: agent.userId })).status).toBe(200);

    expect((await harness.rest('PATCH', `/v1/users/${agent.userId}`, { role: 'customer' }, admin.headers)).status).toBe(200);
    await settleEvents(harness);
    expectRefused(await assign(conversation, { agentId: agent.userId }), 'agentId');

    expect((await harness.rest('DELETE', `/v1/teams/${teamId}`, undefined, admin.headers)).status).toBe(200);
    await settleEvents(harness);
    expectRefused(await assign(conversation, { teamId }), 'teamId');

    // Un-assigning needs nobody.
    const cleared = await assign(conversation, { agentId: null, teamId: null });
    expect(cleared.body.data).toMatchObject({ assignedAgentId: null, assignedTeamId: null });
  });

  it('refuses a portal customer and another tenant’s agent and team, over GraphQL and the 002 bulk assign', async () => {
    const conversation = await openConversation();
    const portal = await addUser(harness, admin, 'customer');
    const stranger = await registerTenant(harness, 'Stranger Admin');
    const strangerAgent = await addUser(harness, stranger, 'agent');
    const strangerTeam = await addTeam(harness, stranger);
    expectRefused(await assign(conversation, { agentId: portal.userId }), 'agentId');
    expectRefused(await assign(conversation, { agentId: strangerAgent.userId }), 'agentId');
    expectRefused(
      await harness.rest('POST', `/v1/conversations/${conversation}/transfer`, { teamId: strangerTeam }, admin.headers),
      'teamId',
    );

    const graphql = await harness.graphql(
      `mutation ($id: ID!, $agentId: ID) { assignConversation(id: $id, input: { agentId: $agentId }) { id } }`,
      { id: conversation, agentId: stranger.userId },
      admin.headers,
    );
    expect(graphql.body.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'agentId' }] });

    const ticket = (
      await harness.rest(
        'POST',
        '/api/v1/tickets',
        {
          title: 'T',
          description: 'x',
          customerID: (await harness.rest('POST', '/v1/customers', { name: 'Tia' }, admin.headers)).body.data.id,
        },
        admin.headers,
      )
    ).body.data.id as string;
    const bulk = await harness.rest(
      'POST',
      '/api/v1/tickets/bulk',
      { ticketIds: [ticket], operation: 'assign', data: { agentID: strangerAgent.userId } },
      admin.headers,
    );
    expectRefused(bulk, 'assigneeId');
    expect((await harness.rest('GET', `/api/v1/tickets/${ticket}`, undefined, admin.headers)).body.data.assigneeId).toBeNull();
    expect((await assign(conversation, { agentId: admin.userId })).status).toBe(200);
  });
});

describe('portal customers', () => {
  async function customerWithEmail(name: string, email: string): Promise<string> {
    const created = await harness.rest('POST', '/v1/customers', { name, identityGraph: { emails: [email] } }, admin.headers);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.data.id as string;
  }

  it('post into the conversations of the customer record with their email, and find no other', async () => {
    const portal = await addUser(harness, admin, 'customer');
    const mine = await conversationOf(await customerWithEmail('Portal Pat', portal.email.toUpperCase()));
    const theirs = await conversationOf(await customerWithEmail('Someone Else', `else-${portal.email}`));
    const post = (conversationId: string) =>
      harness.rest('POST', `/v1/conversations/${conversationId}/messages`, { content: 'Any news?' }, portal.headers);

    const posted = await post(mine);
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    expect(posted.body.data).toMatchObject({ conversationId: mine, direction: 'inbound', senderType: 'customer', senderId: portal.userId });
    const refused = await post(theirs);
    expect(refused.status).toBe(404);
    expect(refused.body).toMatchObject({ success: false, error: { code: 'NOT_FOUND' } });
    const messages = await harness.rest('GET', `/v1/conversations/${theirs}/messages`, undefined, admin.headers);
    expect(messages.body.data.map((message: { content: string }) => message.content)).toEqual(['Help']);
  });
});

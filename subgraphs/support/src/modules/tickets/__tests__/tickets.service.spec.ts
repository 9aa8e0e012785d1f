import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { identityEvent, useSupportSubgraph, type TestTenant } from '../../conversations/__tests__/support-harness.js';

let recording: string[] | null = null;
const { db, data, failure, publish, tenant, member, team, customer, eventsOf } = useSupportSubgraph({
  onQuery: (sql) => recording?.push(sql),
});

const TICKET = `id title description status state priority customerId assigneeId teamId source channel tags customFields dueDate
  comments { id content isPrivate type authorType } internalNotes { content } history { type }`;
const CREATE = `mutation ($input: CreateTicketInput!) { createTicket(input: $input) { ${TICKET} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateTicketInput!) { updateTicket(id: $id, input: $input) { ${TICKET} } }`;
const BULK = `mutation ($input: BulkTicketsInput!) { bulkTickets(input: $input) { succeeded failed results { ticketId success error { code message } } } }`;
const TEMPLATE = `mutation ($input: CreateTicketTemplateInput!) { createTicketTemplate(input: $input) { id name title priority tags dueInHours } }`;

describe('tickets', () => {
  it('opens a ticket as a conversation whose first message is the description, and announces it', async () => {
    const team = await tenant();
    const customerId = await customer(team);
    const { createTicket } = await data(
      CREATE,
      { input: { customerId, title: 'Broken login', description: 'I cannot log in', priority: 'HIGH', source: 'EMAIL', tags: ['Auth'] } },
      team.agent,
    );
    expect(createTicket).toMatchObject({
      title: 'Broken login',
      description: 'I cannot log in',
      status: 'OPEN',
      state: 'NEW',
      priority: 'HIGH',
      source: 'EMAIL',
      channel: 'EMAIL',
      tags: ['auth'],
      comments: [],
    });
    const events = await eventsOf(team.tenantId, 'ticket.created');
    expect(events.map((event) => event.payload)).toEqual([
      expect.objectContaining({ ticketID: createTicket.id, customerID: customerId, issue: 'Broken login', priority: 'P1' }),
    ]);
  });

  it('fills defaults from a template: title, priority, tags, due date, assignee', async () => {
    const team = await tenant();
    const customerId = await customer(team);
    const { createTicketTemplate: template } = await data(
      TEMPLATE,
      {
        input: {
          name: 'Refund',
          title: 'Refund request',
          description: 'A customer asks for a refund',
          priority: 'LOW',
          tags: ['billing'],
          dueInHours: 48,
          assigneeId: team.agentId,
        },
      },
      team.admin,
    );
    const before = Date.now();
    const { createTicket } = await data(CREATE, { input: { customerId, templateId: template.id, tags: ['vip'] } }, team.agent);
    expect(createTicket).toMatchObject({
      title: 'Refund request',
      description: 'A customer asks for a refund',
      priority: 'LOW',
      assigneeId: team.agentId,
      status: 'OPEN',
      state: 'AWAITING_AGENT',
    });
    expect(createTicket.tags.sort()).toEqual(['billing', 'vip']);
    const due = Date.parse(createTicket.dueDate);
    expect(due).toBeGreaterThanOrEqual(before + 48 * 3_600_000 - 1000);
    expect(due).toBeLessThanOrEqual(Date.now() + 48 * 3_600_000 + 1000);
    expect((await failure(CREATE, { input: { customerId, templateId: randomUUID() } }, team.agent)).details).toEqual([
      { field: 'templateId', message: expect.stringContaining('does not exist') },
    ]);
    expect((await failure(TEMPLATE, { input: { name: 'Refund' } }, team.admin)).code).toBe('CONFLICT');
  });

  it('updates status, priority, assignee and notes in one transaction; an illegal status changes nothing', async () => {
    const team = await tenant();
    const customerId = await customer(team);
    const { createTicket } = await data(CREATE, { input: { customerId, title: 'Slow', description: 'It is slow' } }, team.agent);
    const { updateTicket } = await data(
      UPDATE,
      { id: createTicket.id, input: { status: 'PENDING', priority: 'URGENT', assigneeId: team.agentId, internalNote: 'Checked the logs' } },
      team.agent,
    );
    expect(updateTicket).toMatchObject({
      status: 'PENDING',
      priority: 'URGENT',
      assigneeId: team.agentId,
      internalNotes: [{ content: 'Checked the logs' }],
    });
    await data(UPDATE, { id: createTicket.id, input: { status: 'CLOSED' } }, team.agent);
    const illegal = await failure(
      UPDATE,
      { id: createTicket.id, input: { status: 'PENDING', priority: 'LOW', internalNote: 'never written' } },
      team.agent,
    );
    expect(illegal.code).toBe('CONFLICT');
    const { ticket } = await data(
      `query ($id: ID!) { ticket(id: $id) { status priority internalNotes { content } } }`,
      { id: createTicket.id },
      team.agent,
    );
    expect(ticket).toEqual({ status: 'CLOSED', priority: 'URGENT', internalNotes: [{ content: 'Checked the logs' }] });
  });

  it('adds comments and AI responses as messages', async () => {
    const team = await tenant();
    const customerId = await customer(team);
    const { createTicket } = await data(CREATE, { input: { customerId, title: 'Q', description: 'A question' } }, team.agent);
    const COMMENT = `mutation ($id: ID!, $input: AddTicketCommentInput!) { addTicketComment(ticketId: $id, input: $input) { content isPrivate type authorType } }`;
    expect(
      (await data(COMMENT, { id: createTicket.id, input: { content: 'Suggested answer', type: 'AI' } }, team.agent)).addTicketComment,
    ).toEqual({
      content: 'Suggested answer',
      isPrivate: false,
      type: 'AI',
      authorType: 'ai',
    });
    await data(COMMENT, { id: createTicket.id, input: { content: 'Between us', isPrivate: true } }, team.agent);
    const { ticket } = await data(
      `query ($id: ID!) { ticket(id: $id) { comments { content type } internalNotes { content } } }`,
      { id: createTicket.id },
      team.agent,
    );
    expect(ticket).toEqual({ comments: [{ content: 'Suggested answer', type: 'AI' }], internalNotes: [{ content: 'Between us' }] });
    expect((await failure(COMMENT, { id: createTicket.id, input: { content: 'AI', type: 'AI' } }, team.portal)).code).toBe('FORBIDDEN');
  });

  it('runs a bulk update in one transaction, reporting illegal moves and unknown ids per ticket and changing the rest', async () => {
    const team = await tenant();
    const stranger = await tenant();
    const customerId = await customer(team);
    const ids: string[] = [];
    for (let index = 0; index < 4; index++)
      ids.push((await data(CREATE, { input: { customerId, title: `T${index}`, description: 'x' } }, team.agent)).createTicket.id);
    await data(UPDATE, { id: ids[3], input: { status: 'CLOSED' } }, team.agent);
    const foreign = (
      await data(CREATE, { input: { customerId: await customer(stranger), title: 'theirs', description: 'x' } }, stranger.agent)
    ).createTicket.id;
    const { bulkTickets } = await data(
      BULK,
      { input: { ticketIds: [...ids, foreign], operation: 'UPDATE', update: { status: 'RESOLVED', priority: 'HIGH' } } },
      team.agent,
    );
    expect(bulkTickets).toMatchObject({ succeeded: 3, failed: 2 });
    expect(bulkTickets.results.map((result: { success: boolean; error: { code: string } | null }) => result.error?.code ?? 'OK')).toEqual([
      'OK',
      'OK',
      'OK',
      'CONFLICT',
      'NOT_FOUND',
    ]);
    const { tickets } = await data(`{ tickets(first: 10) { nodes { id status priority } } }`, {}, team.agent);
    const byId = new Map(tickets.nodes.map((node: { id: string }) => [node.id, node]));
    expect(byId.get(ids[0])).toMatchObject({ status: 'RESOLVED', priority: 'HIGH' });
    expect(byId.get(ids[3])).toMatchObject({ status: 'CLOSED', priority: 'MEDIUM' });
    const { ticket } = await data(`query ($id: ID!) { ticket(id: $id) { status } }`, { id: foreign }, stranger.agent);
    expect(ticket.status).toBe('OPEN');
    expect((await failure(BULK, { input: { ticketIds: [], operation: 'DELETE' } }, team.agent)).code).toBe('VALIDATION_ERROR');
  });

  it('filters the list by status and priority in ticket words', async () => {
    const team = await tenant();
    const customerId = await customer(team);
    const urgent = (await data(CREATE, { input: { customerId, title: 'U', description: 'x', priority: 'URGENT' } }, team.agent))
      .createTicket.id;
    const pending = (await data(CREATE, { input: { customerId, title: 'P', description: 'x' } }, team.agent)).createTicket.id;
    await data(UPDATE, { id: pending, input: { status: 'PENDING' } }, team.agent);
    const LIST = `query ($filter: TicketFilter) { tickets(filter: $filter) { totalCount nodes { id } } }`;
    expect((await data(LIST, { filter: { priority: ['URGENT'] } }, team.agent)).tickets.nodes).toEqual([{ id: urgent }]);
    expect((await data(LIST, { filter: { status: ['PENDING'] } }, team.agent)).tickets.nodes).toEqual([{ id: pending }]);
    expect((await data(LIST, { filter: { status: ['OPEN'] } }, team.agent)).tickets.nodes).toEqual([{ id: urgent }]);
  });

  it('resolves Ticket and TicketTemplate references of the own tenant only', async () => {
    const team = await tenant();
    const stranger = await tenant();
    const customerId = await customer(team);
    const ticket = (await data(CREATE, { input: { customerId, title: 'Ref', description: 'x' } }, team.agent)).createTicket.id;
    const template = (await data(TEMPLATE, { input: { name: 'Ref template' } }, team.admin)).createTicketTemplate.id;
    const ENTITIES = `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Ticket { id title } ... on TicketTemplate { id name } } }`;
    const representations = [
      { __typename: 'Ticket', id: ticket },
      { __typename: 'TicketTemplate', id: template },
    ];
    expect((await data(ENTITIES, { representations }, team.agent))._entities).toEqual([
      { id: ticket, title: 'Ref' },
      { id: template, name: 'Ref template' },
    ]);
    expect((await data(ENTITIES, { representations }, stranger.agent))._entities).toEqual([null, null]);
  });
});

/** Ids support must refuse as an assignee or team of `t`: unknown, another tenant's, deactivated, a portal customer, deleted. */
async function unassignable(t: TestTenant, stranger: TestTenant) {
  const leaving = await member(t.tenantId, 'agent');
  const deletedTeam = await team(t.tenantId);
  await publish(
    identityEvent('user.deactivated', t.tenantId, { userId: leaving, role: 'agent', isActive: false, by: null }),
    identityEvent('team.deleted', t.tenantId, { teamId: deletedTeam }),
  );
  return {
    agents: [randomUUID(), stranger.agentId, leaving, t.portalUserId],
    teams: [randomUUID(), await team(stranger.tenantId), deletedTeam],
  };
}

/** What a refused ticket write must not have added to. */
async function rowCounts(tenantId: string) {
  const count = async (table: string) =>
    Number((await db().withSchema('support').from(table).where({ tenant_id: tenantId }).count({ n: '*' }))[0]!.n);
  return {
    conversations: await count('conversations'),
    events: await count('conversation_events'),
    messages: await count('messages'),
    outbox: await count('outbox'),
    templates: await count('ticket_templates'),
  };
}

const refusal = (field: string) => ({ code: 'VALIDATION_ERROR', details: [{ field, message: expect.stringMatching(/of this tenant$/) }] });

describe('ticket assignment checks (support directory)', () => {
  it('refuses to create or update a ticket, or a template, with an assignee or team that cannot be assigned, writing nothing', async () => {
    const t = await tenant();
    const stranger = await tenant();
    const customerId = await customer(t);
    const { agents, teams } = await unassignable(t, stranger);
    const { createTicket } = await data(CREATE, { input: { customerId, title: 'Open', description: 'x' } }, t.agent);
    const before = await rowCounts(t.tenantId);
    for (const assigneeId of agents) {
      expect(await failure(CREATE, { input: { customerId, title: 'T', description: 'x', assigneeId } }, t.agent)).toMatchObject(
        refusal('assigneeId'),
      );
      expect(await failure(UPDATE, { id: createTicket.id, input: { assigneeId, status: 'PENDING' } }, t.agent)).toMatchObject(
        refusal('assigneeId'),
      );
      expect(await failure(TEMPLATE, { input: { name: `Tpl ${assigneeId}`, assigneeId } }, t.admin)).toMatchObject(refusal('assigneeId'));
    }
    for (const teamId of teams) {
      expect(await failure(CREATE, { input: { customerId, title: 'T', description: 'x', teamId } }, t.agent)).toMatchObject(
        refusal('teamId'),
      );
      expect(await failure(TEMPLATE, { input: { name: `Tpl ${teamId}`, teamId } }, t.admin)).toMatchObject(refusal('teamId'));
    }
    expect(await rowCounts(t.tenantId)).toEqual(before);
    const { ticket } = await data(`query ($id: ID!) { ticket(id: $id) { status assigneeId } }`, { id: createTicket.id }, t.agent);
    expect(ticket).toEqual({ status: 'OPEN', assigneeId: null });

    const teamId = await team(t.tenantId);
    const assigned = await data(
      CREATE,
      { input: { customerId, title: 'T', description: 'x', assigneeId: t.otherAgentId, teamId } },
      t.agent,
    );
    expect(assigned.createTicket).toMatchObject({ assigneeId: t.otherAgentId, teamId });
    // Un-assigning stays allowed.
    expect((await data(UPDATE, { id: assigned.createTicket.id, input: { assigneeId: null } }, t.agent)).updateTicket.assigneeId).toBeNull();
  });

  it('leaves out a template’s default agent and team once they can no longer be assigned', async () => {
    const t = await tenant();
    const customerId = await customer(t);
    const agent = await member(t.tenantId, 'agent');
    const teamId = await team(t.tenantId);
    const { createTicketTemplate: template } = await data(TEMPLATE, { input: { name: 'Default', assigneeId: agent, teamId } }, t.admin);
    const first = (await data(CREATE, { input: { customerId, templateId: template.id, description: 'x' } }, t.agent)).createTicket;
    expect(first).toMatchObject({ assigneeId: agent, teamId });
    await publish(
      identityEvent('user.deactivated', t.tenantId, { userId: agent, role: 'agent', isActive: false, by: null }),
      identityEvent('team.deleted', t.tenantId, { teamId }),
    );
    const later = (await data(CREATE, { input: { customerId, templateId: template.id, description: 'x' } }, t.agent)).createTicket;
    expect(later).toMatchObject({ assigneeId: null, teamId: null, state: 'NEW' });
  });

  it('refuses a bulk ASSIGN or UPDATE to an agent or team that cannot be assigned as one VALIDATION_ERROR, before any ticket changes', async () => {
    const t = await tenant();
    const stranger = await tenant();
    const customerId = await customer(t);
    const ids: string[] = [];
    for (let index = 0; index < 3; index++)
      ids.push((await data(CREATE, { input: { customerId, title: `T${index}`, description: 'x' } }, t.agent)).createTicket.id);
    const { agents, teams } = await unassignable(t, stranger);
    const before = await rowCounts(t.tenantId);
    for (const assigneeId of agents) {
      expect(await failure(BULK, { input: { ticketIds: ids, operation: 'ASSIGN', assigneeId } }, t.agent)).toMatchObject(
        refusal('assigneeId'),
      );
      expect(
        await failure(BULK, { input: { ticketIds: ids, operation: 'UPDATE', update: { assigneeId, priority: 'URGENT' } } }, t.agent),
      ).toMatchObject(refusal('update.assigneeId'));
    }
    for (const teamId of teams) {
      expect(await failure(BULK, { input: { ticketIds: ids, operation: 'ASSIGN', assigneeId: t.agentId, teamId } }, t.agent)).toMatchObject(
        refusal('teamId'),
      );
    }
    expect(await rowCounts(t.tenantId)).toEqual(before);
    const { tickets } = await data(`{ tickets(first: 10) { nodes { assigneeId teamId priority } } }`, {}, t.agent);
    expect(tickets.nodes).toEqual(ids.map(() => ({ assigneeId: null, teamId: null, priority: 'MEDIUM' })));
  });

  it('checks a bulk assignment’s agent and team with one query each, however many tickets', async () => {
    const t = await tenant();
    const customerId = await customer(t);
    const ids: string[] = [];
    for (let index = 0; index < 8; index++)
      ids.push((await data(CREATE, { input: { customerId, title: `T${index}`, description: 'x' } }, t.agent)).createTicket.id);
    const teamId = await team(t.tenantId);
    recording = [];
    let bulkTickets: { succeeded: number };
    try {
      ({ bulkTickets } = await data(BULK, { input: { ticketIds: ids, operation: 'ASSIGN', assigneeId: t.agentId, teamId } }, t.agent));
    } finally {
      const statements = recording;
      recording = null;
      expect(statements.filter((sql) => sql.includes('directory_users'))).toHaveLength(1);
      expect(statements.filter((sql) => sql.includes('directory_teams'))).toHaveLength(1);
    }
    expect(bulkTickets.succeeded).toBe(8);
  });
});

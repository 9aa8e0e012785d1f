import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useIdentitySubgraph } from '../../users/__tests__/identity-harness.js';

const { data, failure, registerTenant, addUser, eventsOf } = useIdentitySubgraph();

const TEAM = 'id name description skills memberCount members { id } schedule { timezone hours { day start end } }';
const CREATE = `mutation ($input: CreateTeamInput!) { createTeam(input: $input) { ${TEAM} } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateTeamInput!) { updateTeam(id: $id, input: $input) { ${TEAM} } }`;
const DELETE = `mutation ($id: ID!) { deleteTeam(id: $id) }`;
const GET = `query ($id: ID!) { team(id: $id) { ${TEAM} } }`;
const LIST = `query ($first: Int, $after: String, $offset: Int) {
  teams(first: $first, after: $after, offset: $offset) { totalCount nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } }
}`;

interface TeamPage {
  totalCount: number;
  nodes: { name: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

const weekdays = {
  timezone: 'Europe/Berlin',
  hours: [
    { day: 'MONDAY', start: '09:00', end: '17:00' },
    { day: 'FRIDAY', start: '09:00', end: '13:00' },
  ],
};

describe('Team entity references', () => {
  it('resolves teams of the caller’s tenant through _entities and null for another tenant’s', async () => {
    const alpha = await registerTenant();
    const beta = await registerTenant();
    const own = (await data(CREATE, { input: { name: 'Billing' } }, alpha.token)).createTeam;
    const foreign = (await data(CREATE, { input: { name: 'Billing' } }, beta.token)).createTeam;
    const { _entities } = await data(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Team { id name memberCount } } }`,
      {
        representations: [
          { __typename: 'Team', id: own.id },
          { __typename: 'Team', id: foreign.id },
          { __typename: 'Team', id: randomUUID() },
        ],
      },
      alpha.token,
    );
    expect(_entities).toEqual([{ id: own.id, name: 'Billing', memberCount: 0 }, null, null]);
  });
});

describe('teams', () => {
  it('creates a team with members, skills and a schedule, and announces it', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const { createTeam } = await data(
      CREATE,
      {
        input: {
          name: '  Billing ',
          description: 'Invoices',
          skills: ['Billing', 'billing', 'VAT'],
          schedule: weekdays,
          memberIds: [agent.userId, admin.userId],
        },
      },
      admin.token,
    );
    expect(createTeam).toMatchObject({
      name: 'Billing',
      description: 'Invoices',
      skills: ['billing', 'vat'],
      memberCount: 2,
      schedule: weekdays,
    });
    expect(createTeam.members.map((member: { id: string }) => member.id).sort()).toEqual([agent.userId, admin.userId].sort());
    expect(await data(GET, { id: createTeam.id }, agent.token)).toEqual({ team: createTeam });
    expect((await eventsOf(admin.tenantId, 'team.created')).map((event) => event.aggregateId)).toEqual([createTeam.id]);
  });

  it('shows a user’s teams on the user', async () => {
    const admin = await registerTenant();
    const first = (await data(CREATE, { input: { name: 'First', memberIds: [admin.userId] } }, admin.token)).createTeam;
    const second = (await data(CREATE, { input: { name: 'Second', memberIds: [admin.userId] } }, admin.token)).createTeam;
    const { me } = await data(`{ me { teamId teams { id } } }`, {}, admin.token);
    expect(me.teamId).toBe(first.id);
    expect(me.teams.map((team: { id: string }) => team.id)).toEqual([first.id, second.id]);
  });

  it('refuses a second team with the same name in the tenant with CONFLICT, on create and on rename', async () => {
    const admin = await registerTenant();
    await data(CREATE, { input: { name: 'Support' } }, admin.token);
    expect(await failure(CREATE, { input: { name: 'Support' } }, admin.token)).toMatchObject({
      code: 'CONFLICT',
      message: 'A team with this name already exists',
    });
    const other = (await data(CREATE, { input: { name: 'Sales' } }, admin.token)).createTeam;
    expect(await failure(UPDATE, { id: other.id, input: { name: 'Support' } }, admin.token)).toMatchObject({ code: 'CONFLICT' });
    expect((await data(GET, { id: other.id }, admin.token)).team.name).toBe('Sales');
  });

  it('changes nothing when an update is refused, members included', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const team = (await data(CREATE, { input: { name: 'One', memberIds: [admin.userId, agent.userId] } }, admin.token)).createTeam;
    await data(CREATE, { input: { name: 'Other' } }, admin.token);
    expect(await failure(UPDATE, { id: team.id, input: { name: 'Other', memberIds: [] } }, admin.token)).toMatchObject({
      code: 'CONFLICT',
    });
    expect((await data(GET, { id: team.id }, admin.token)).team).toMatchObject({ name: 'One', memberCount: 2 });
  });

  it('allows the same team name in different tenants', async () => {
    const alpha = await registerTenant();
    const beta = await registerTenant();
    await data(CREATE, { input: { name: 'Escalations' } }, alpha.token);
    expect((await data(CREATE, { input: { name: 'Escalations' } }, beta.token)).createTeam.name).toBe('Escalations');
  });

  it('reports every invalid part of a schedule with its field path', async () => {
    const admin = await registerTenant();
    const schedule = {
      timezone: 'Mars/Olympus',
      hours: [
        { day: 'MONDAY', start: '9am', end: '17:00' },
        { day: 'TUESDAY', start: '17:00', end: '09:00' },
        { day: 'TUESDAY', start: '10:00', end: '24:00' },
      ],
    };
    const result = await failure(CREATE, { input: { name: 'Night shift', schedule } }, admin.token);
    expect(result.code).toBe('VALIDATION_ERROR');
    expect(result.details).toEqual(
      expect.arrayContaining([
        { field: 'schedule.timezone', message: 'must be an IANA time zone, e.g. America/New_York' },
        { field: 'schedule.hours.0.start', message: 'must be HH:MM (24-hour)' },
        { field: 'schedule.hours.1.end', message: 'end must be after start' },
        { field: 'schedule.hours.2.end', message: 'must be HH:MM (24-hour)' },
        { field: 'schedule.hours', message: 'lists a day twice' },
      ]),
    );
    expect((await data(LIST, {}, admin.token)).teams.totalCount).toBe(0);
  });

  it('refuses a schedule that lists a day twice', async () => {
    const admin = await registerTenant();
    const schedule = {
      timezone: 'UTC',
      hours: [
        { day: 'MONDAY', start: '08:00', end: '12:00' },
        { day: 'MONDAY', start: '13:00', end: '17:00' },
      ],
    };
    expect(await failure(CREATE, { input: { name: 'Split', schedule } }, admin.token)).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'schedule.hours', message: 'lists a day twice' }],
    });
  });

  it('refuses members who are not users of the tenant, naming them', async () => {
    const admin = await registerTenant();
    const stranger = await registerTenant();
    const missing = randomUUID();
    const result = await failure(CREATE, { input: { name: 'Mixed', memberIds: [admin.userId, stranger.userId, missing] } }, admin.token);
    expect(result).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(result.details).toEqual([
      { field: 'memberIds', message: `user ${stranger.userId} does not exist` },
      { field: 'memberIds', message: `user ${missing} does not exist` },
    ]);
  });

  it('replaces the member list on update', async () => {
    const admin = await registerTenant();
    const [a, b, c] = [await addUser(admin, 'agent'), await addUser(admin, 'agent'), await addUser(admin, 'agent')];
    const team = (await data(CREATE, { input: { name: 'Rotation', memberIds: [a.userId, b.userId] } }, admin.token)).createTeam;
    const { updateTeam } = await data(UPDATE, { id: team.id, input: { memberIds: [b.userId, c.userId] } }, admin.token);
    expect(updateTeam.members.map((member: { id: string }) => member.id).sort()).toEqual([b.userId, c.userId].sort());
    expect(updateTeam.memberCount).toBe(2);
    const { team: reloaded } = await data(GET, { id: team.id }, admin.token);
    expect(reloaded.members.map((member: { id: string }) => member.id).sort()).toEqual([b.userId, c.userId].sort());
    const { updateTeam: emptied } = await data(UPDATE, { id: team.id, input: { memberIds: [] } }, admin.token);
    expect(emptied).toMatchObject({ members: [], memberCount: 0 });
  });

  it('keeps members, skills and schedule when the update omits them, and removes the schedule given null', async () => {
    const admin = await registerTenant();
    const team = (
      await data(CREATE, { input: { name: 'Keep', skills: ['vip'], schedule: weekdays, memberIds: [admin.userId] } }, admin.token)
    ).createTeam;
    const renamed = (await data(UPDATE, { id: team.id, input: { name: 'Kept', description: 'Renamed' } }, admin.token)).updateTeam;
    expect(renamed).toMatchObject({ name: 'Kept', description: 'Renamed', skills: ['vip'], schedule: weekdays, memberCount: 1 });
    const cleared = (await data(UPDATE, { id: team.id, input: { schedule: null } }, admin.token)).updateTeam;
    expect(cleared.schedule).toBeNull();
    expect((await eventsOf(admin.tenantId, 'team.updated')).map((event) => event.aggregateId)).toEqual([team.id, team.id]);
  });

  it('deletes a team and its memberships but keeps the users', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const team = (await data(CREATE, { input: { name: 'Temporary', memberIds: [agent.userId] } }, admin.token)).createTeam;
    expect((await data(DELETE, { id: team.id }, admin.token)).deleteTeam).toBe(true);
    expect(await data(GET, { id: team.id }, admin.token)).toEqual({ team: null });
    const { user } = await data(`query ($id: ID!) { user(id: $id) { id teams { id } teamId } }`, { id: agent.userId }, admin.token);
    expect(user).toEqual({ id: agent.userId, teams: [], teamId: null });
    expect((await eventsOf(admin.tenantId, 'team.deleted')).map((event) => event.aggregateId)).toEqual([team.id]);
    expect(await failure(DELETE, { id: team.id }, admin.token)).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers NOT_FOUND when changing or deleting another tenant’s team, and leaves it alone', async () => {
    const alpha = await registerTenant();
    const beta = await registerTenant();
    const theirs = (await data(CREATE, { input: { name: 'Theirs' } }, beta.token)).createTeam;
    expect(await failure(UPDATE, { id: theirs.id, input: { name: 'Hijacked' } }, alpha.token)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await failure(DELETE, { id: theirs.id }, alpha.token)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await data(GET, { id: theirs.id }, alpha.token)).toEqual({ team: null });
    expect((await data(GET, { id: theirs.id }, beta.token)).team.name).toBe('Theirs');
  });

  it('lets agents read teams but only admins change them', async () => {
    const admin = await registerTenant();
    const agent = await addUser(admin, 'agent');
    const customer = await addUser(admin, 'customer');
    const team = (await data(CREATE, { input: { name: 'Readable' } }, admin.token)).createTeam;
    expect((await data(GET, { id: team.id }, agent.token)).team.name).toBe('Readable');
    expect(await failure(CREATE, { input: { name: 'Mine' } }, agent.token)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(UPDATE, { id: team.id, input: { name: 'Mine' } }, agent.token)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(DELETE, { id: team.id }, agent.token)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await failure(GET, { id: team.id }, customer.token)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists teams by name with cursor and offset pages', async () => {
    const admin = await registerTenant();
    for (const name of ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo']) await data(CREATE, { input: { name } }, admin.token);
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { teams }: { teams: TeamPage } = await data(LIST, { first: 2, after }, admin.token);
      expect(teams.totalCount).toBe(5);
      names.push(...teams.nodes.map((team) => team.name));
      if (!teams.pageInfo.hasNextPage) break;
      after = teams.pageInfo.endCursor;
    }
    const all = (await data(LIST, { first: 100 }, admin.token)).teams.nodes.map((team: { name: string }) => team.name);
    expect(names).toEqual(all);
    expect([...all].sort()).toEqual(['Bravo', 'Charlie', 'Delta', 'Echo', 'alpha']);
    const { teams: offsetPage } = await data(LIST, { first: 2, offset: 2 }, admin.token);
    expect(offsetPage.nodes.map((team: { name: string }) => team.name)).toEqual(all.slice(2, 4));
    expect(offsetPage.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });
});

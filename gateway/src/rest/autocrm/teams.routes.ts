import { TEAM_FIELDS, pick, presentTeam, scheduleInput, type TeamData } from '../identity-shapes.js';
import { route } from '../route.js';

/** The 002 document's team management: `POST /api/v1/teams` with `members` as agent ids. */
export const autocrmTeamRoutes = [
  route<{ createTeam: TeamData }>({
    method: 'post',
    path: '/api/v1/teams',
    family: '002',
    status: 201,
    operation: `mutation RestAutocrmCreateTeam($input: CreateTeamInput!) { createTeam(input: $input) { ...RestTeam } } ${TEAM_FIELDS}`,
    variables: ({ body }) => {
      const input = pick(body, ['name', 'description', 'skills']);
      if ('schedule' in body) input.schedule = scheduleInput(body.schedule);
      if ('members' in body) input.memberIds = body.members;
      return { input };
    },
    respond: (data) => {
      const team = presentTeam(data.createTeam);
      return { body: { ...team, members: team.memberIds } };
    },
  }),
];

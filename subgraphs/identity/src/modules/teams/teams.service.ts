import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize } from '@deskgraph/auth';
import { findPage, flushOrConflict, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { NotFoundError, ValidationError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { isUuid, tags, timezone, trimmedText, uuid } from '@deskgraph/validation';
import { UserEntity } from '../users/user.entity.js';
import { TeamEntity, TeamMemberEntity, type Team, type WorkSchedule } from './team.entity.js';

const weekdays = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM (24-hour)' });

const scheduleSchema = z
  .object({
    timezone,
    hours: z
      .array(
        z
          .object({ day: z.enum(weekdays), start: clock, end: clock })
          .refine((hours) => hours.start < hours.end, { message: 'end must be after start', path: ['end'] }),
      )
      .max(7),
  })
  .refine((schedule) => new Set(schedule.hours.map((hours) => hours.day)).size === schedule.hours.length, {
    message: 'lists a day twice',
    path: ['hours'],
  });

const teamFields = {
  name: trimmedText(120).min(1, { message: 'is required' }),
  description: trimmedText(2000).nullish(),
  skills: tags,
  schedule: scheduleSchema.nullish(),
  memberIds: z.array(uuid).max(1000),
};
const createTeamSchema = z.object({ ...teamFields, skills: teamFields.skills.default([]), memberIds: teamFields.memberIds.default([]) });
const updateTeamSchema = z.object({
  name: teamFields.name.optional(),
  description: teamFields.description,
  skills: teamFields.skills.optional(),
  schedule: teamFields.schedule,
  memberIds: teamFields.memberIds.optional(),
});

export class TeamsService {
  constructor(private readonly ctx: RequestContext) {}

  load(id: string): Promise<Team | null> {
    return this.ctx.byId(TeamEntity, id);
  }

  async get(id: string): Promise<Team | null> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(id);
  }

  async list(args: Parameters<typeof pageRequest>[0]): Promise<Connection<Team>> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return findPage(this.ctx.em(), TeamEntity, {}, { name: 'asc', id: 'asc' }, pageRequest(args));
  }

  /** Member ids of a team, in joining order (batched across teams). */
  memberIds(teamId: string): Promise<string[]> {
    return this.ctx
      .loader<string, string[]>('teams.memberIds', async (teamIds) => {
        const memberships = await this.ctx.em().find(TeamMemberEntity, { team: { $in: [...teamIds] } }, { orderBy: { joinedAt: 'asc' } });
        const byTeam = new Map<string, string[]>();
        for (const membership of memberships) {
          const list = byTeam.get(membership.team.id) ?? [];
          list.push(membership.user.id);
          byTeam.set(membership.team.id, list);
        }
        return teamIds.map((id) => byTeam.get(id) ?? []);
      })
      .load(teamId);
  }

  async create(input: unknown): Promise<Team> {
    const caller = authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const data = parseInput(createTeamSchema, input);
    const em = this.ctx.em();
    const team = em.create(TeamEntity, {
      id: randomUUID(),
      tenantId: caller.tenantId,
      name: data.name,
      description: data.description ?? null,
      skills: data.skills,
      schedule: (data.schedule as WorkSchedule | undefined) ?? null,
    });
    await this.replaceMembers(em, team, data.memberIds);
    recordEvent(em, { type: 'team.created', tenantId: team.tenantId, aggregateId: team.id, payload: { teamId: team.id } });
    await flushOrConflict(em, 'A team with this name already exists');
    return team;
  }

  async update(id: string, input: unknown): Promise<Team> {
    authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const data = parseInput(updateTeamSchema, input);
    return this.ctx.em().transactional(async (em) => {
      const team = await this.require(id, em);
      if (data.name !== undefined) team.name = data.name;
      if (data.description !== undefined) team.description = data.description;
      if (data.skills !== undefined) team.skills = data.skills;
      if (data.schedule !== undefined) team.schedule = data.schedule as WorkSchedule | null;
      if (data.memberIds !== undefined) {
        await em.nativeDelete(TeamMemberEntity, { team: team.id, user: { $nin: data.memberIds } });
        await this.replaceMembers(em, team, data.memberIds);
      }
      recordEvent(em, { type: 'team.updated', tenantId: team.tenantId, aggregateId: team.id, payload: { teamId: team.id } });
      await flushOrConflict(em, 'A team with this name already exists');
      return team;
    });
  }

  async delete(id: string): Promise<boolean> {
    authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const em = this.ctx.em();
    const team = await this.require(id);
    em.remove(team);
    recordEvent(em, { type: 'team.deleted', tenantId: team.tenantId, aggregateId: team.id, payload: { teamId: team.id } });
    await em.flush();
    return true;
  }

  private async require(id: string, em: EntityManager = this.ctx.em()): Promise<Team> {
    const team = isUuid(id) ? await em.findOne(TeamEntity, { id }) : null;
    if (!team) throw new NotFoundError('Team', id);
    return team;
  }

  /** Adds the listed users not yet members; every id must be a user of the tenant. */
  private async replaceMembers(em: EntityManager, team: Team, memberIds: string[]): Promise<void> {
    if (memberIds.length === 0) return;
    const users = await em.find(UserEntity, { id: { $in: memberIds } });
    const missing = memberIds.filter((id) => !users.some((user) => user.id === id));
    if (missing.length > 0) throw new ValidationError(missing.map((id) => ({ field: 'memberIds', message: `user ${id} does not exist` })));
    const existing = await em.find(TeamMemberEntity, { team: team.id });
    const current = new Set(existing.map((membership) => membership.user.id));
    for (const user of users) if (!current.has(user.id)) em.create(TeamMemberEntity, { team, user, tenantId: team.tenantId });
  }
}
export type TeamConnection = Connection<Team>;

import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';
import { UserEntity } from '../users/user.entity.js';

export interface WorkSchedule {
  timezone: string;
  hours: { day: string; start: string; end: string }[];
}

export const TeamEntity = defineEntity({
  name: 'Team',
  tableName: 'teams',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string().length(120),
    description: p.text().nullable(),
    skills: p.array().default([]),
    schedule: p.json<WorkSchedule>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  }),
  uniques: [{ name: 'teams_tenant_name_unique', properties: ['tenantId', 'name'] }],
});
export type Team = InferEntity<typeof TeamEntity>;

/** Membership of a user in a team; removed with the team or the user. */
export const TeamMemberEntity = defineEntity({
  name: 'TeamMember',
  tableName: 'team_members',
  filters: tenantFilter,
  properties: (p) => ({
    team: p.manyToOne(TeamEntity).primary().deleteRule('cascade').ref(),
    user: p.manyToOne(UserEntity).primary().deleteRule('cascade').ref(),
    tenantId: p.uuid(),
    joinedAt: p.datetime().onCreate(() => new Date()),
  }),
  indexes: [{ name: 'team_members_user_idx', properties: ['user'] }],
});
export type TeamMember = InferEntity<typeof TeamMemberEntity>;

import { ValidationError, type FieldError } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { DirectoryTeamEntity, type DirectoryTeam } from './directory-team.entity.js';
import { DirectoryUserEntity, type DirectoryUser } from './directory-user.entity.js';

/** Roles that may work on conversations. */
const ASSIGNABLE_ROLES: readonly (string | null)[] = ['admin', 'agent'];

/** Who a conversation is to be given to: a given id is checked; null (clear) and undefined (keep) are not. */
export interface Assignee {
  agentId?: string | null;
  teamId?: string | null;
}

/** The input field each id came from, for the error details. */
export interface AssigneeFields {
  agentId: string;
  teamId: string;
}

/**
 * The tenant's members as identity announced them (read model fed by the directory consumer).
 * Lookups are batched per request: a bulk operation checks its ids with one query per table.
 * The directory trails identity by the outbox relay and the bus (milliseconds): a user created
 * a moment ago may not be assignable yet.
 */
export class DirectoryService {
  constructor(private readonly ctx: RequestContext) {}

  /** A user of the caller's tenant; null for unknown ids, other tenants' users and ids that are not UUIDs. */
  user(id: string): Promise<DirectoryUser | null> {
    return this.ctx.byId(DirectoryUserEntity, id);
  }

  /** A team of the caller's tenant, deleted ones included; null when unknown. */
  team(id: string): Promise<DirectoryTeam | null> {
    return this.ctx.byId(DirectoryTeamEntity, id);
  }

  /** An active admin or agent of the caller's tenant. */
  async isAssignableAgent(id: string): Promise<boolean> {
    const user = await this.user(id);
    return user !== null && user.active && ASSIGNABLE_ROLES.includes(user.role ?? null);
  }

  /** A team of the caller's tenant that has not been deleted. */
  async isAssignableTeam(id: string): Promise<boolean> {
    const team = await this.team(id);
    return team !== null && !team.deleted;
  }

  /** VALIDATION_ERROR, naming each field, unless every given id may be assigned. */
  async requireAssignable(assignee: Assignee, fields: AssigneeFields = { agentId: 'agentId', teamId: 'teamId' }): Promise<void> {
    const { agentId, teamId } = assignee;
    const [agentOk, teamOk] = await Promise.all([
      agentId ? this.isAssignableAgent(agentId) : true,
      teamId ? this.isAssignableTeam(teamId) : true,
    ]);
    const details: FieldError[] = [];
    if (!agentOk) details.push({ field: fields.agentId, message: 'is not an active agent of this tenant' });
    if (!teamOk) details.push({ field: fields.teamId, message: 'is not a team of this tenant' });
    if (details.length > 0) throw new ValidationError(details);
  }
}

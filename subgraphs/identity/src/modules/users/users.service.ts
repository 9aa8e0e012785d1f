import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize, requireCaller, roles, type Caller } from '@deskgraph/auth';
import { flushOrConflict, pageRequest, recordEvent, type Connection } from '@deskgraph/database';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { email, isUuid, password, personName, phoneE164, tags, uuid } from '@deskgraph/validation';
import { revokeUserSessions } from '../auth/sessions.js';
import { TeamEntity, TeamMemberEntity } from '../teams/team.entity.js';
import { hashPassword, verifyPassword } from './password.js';
import { UserRepository, type UserListFilter } from './user.repository.js';
import { UserEntity, type User } from './user.entity.js';

export const newUserSchema = z.object({
  email,
  password,
  firstName: personName,
  lastName: z.string().trim().max(100).default(''),
  phone: phoneE164.nullish(),
  role: z.enum(roles).default('agent'),
  skills: tags.default([]),
  maxConcurrentConversations: z.number().int().min(1).max(100).default(5),
  teamIds: z.array(uuid).max(50).default([]),
});
export type NewUser = z.output<typeof newUserSchema>;

const updateUserSchema = z.object({
  firstName: personName.optional(),
  lastName: z.string().trim().max(100).optional(),
  phone: phoneE164.nullish(),
  role: z.enum(roles).optional(),
  isActive: z.boolean().optional(),
  maxConcurrentConversations: z.number().int().min(1).max(100).optional(),
});

const changePasswordSchema = z.object({
  userId: uuid.nullish(),
  currentPassword: z.string().nullish(),
  newPassword: password,
});

/**
 * What every `user.*` event carries: the user's email (lower-case, as stored), role and whether
 * they are active after the change, so a read model in another subgraph (support's directory,
 * which links portal customers to customer records by email) can apply any of them alone.
 */
function directoryState(user: User): { userId: string; email: string; role: User['role']; isActive: boolean } {
  return { userId: user.id, email: user.email, role: user.role, isActive: user.isActive };
}

/**
 * Creates a user in `tenantId` inside the caller's unit of work (used by registration
 * and by admins). Emails are unique across deskgraph: sign-in names no tenant.
 */
export async function createUserRecord(em: EntityManager, tenantId: string, input: NewUser): Promise<User> {
  if ((await em.count(UserEntity, { email: input.email }, { filters: false })) > 0) {
    throw new ConflictError('A user with this email already exists');
  }
  const user = em.create(UserEntity, {
    id: randomUUID(),
    tenantId,
    email: input.email,
    passwordHash: await hashPassword(input.password),
    firstName: input.firstName,
    lastName: input.lastName,
    phone: input.phone ?? null,
    role: input.role,
    isActive: true,
    skills: input.skills,
    maxConcurrentConversations: input.maxConcurrentConversations,
    lastLoginAt: null,
  });
  if (input.teamIds.length > 0) {
    const teams = await em.find(TeamEntity, { id: { $in: input.teamIds } });
    const missing = input.teamIds.filter((id) => !teams.some((team) => team.id === id));
    if (missing.length > 0) throw new ValidationError(missing.map((id) => ({ field: 'teamIds', message: `team ${id} does not exist` })));
    for (const team of teams) em.create(TeamMemberEntity, { team, user, tenantId });
  }
  recordEvent(em, { type: 'user.created', tenantId, aggregateId: user.id, payload: directoryState(user) });
  return user;
}

export class UsersService {
  constructor(private readonly ctx: RequestContext) {}

  private repository(): UserRepository {
    return new UserRepository(this.ctx.em());
  }

  /** Batched by id within the caller's tenant; other tenants' users are null. */
  load(id: string): Promise<User | null> {
    return this.ctx.byId(UserEntity, id);
  }

  async me(): Promise<User> {
    const caller = requireCaller(this.ctx.caller);
    if (!caller.userId) throw new ForbiddenError('An API key has no user');
    const user = await this.load(caller.userId);
    if (!user || !user.isActive) throw new UnauthorizedError('The user of this token no longer exists or is inactive');
    return user;
  }

  async get(id: string): Promise<User | null> {
    const caller = requireCaller(this.ctx.caller);
    if (caller.userId !== id) authorize(caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.load(id);
  }

  async list(filter: UserListFilter, args: Parameters<typeof pageRequest>[0]): Promise<Connection<User>> {
    authorize(this.ctx.caller, { roles: ['admin', 'agent'], scope: 'read' });
    return this.repository().list(filter, pageRequest(args));
  }

  async create(input: unknown): Promise<User> {
    const caller = authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const data = parseInput(newUserSchema, input);
    const em = this.ctx.em();
    const user = await createUserRecord(em, caller.tenantId, data);
    await flushOrConflict(em, 'A user with this email already exists');
    return user;
  }

  async update(id: string, input: unknown): Promise<User> {
    const caller = requireCaller(this.ctx.caller);
    const data = parseInput(updateUserSchema, input);
    const isSelf = caller.userId === id;
    const adminOnly = data.role !== undefined || data.isActive !== undefined || data.maxConcurrentConversations !== undefined;
    if (!isSelf || adminOnly) authorize(caller, { roles: ['admin'], scope: 'admin' });
    else authorize(caller, { scope: 'write' });
    return this.ctx.em().transactional(async (em) => {
      const user = await this.require(id, em);
      const roleChanged = data.role !== undefined && data.role !== user.role;
      const deactivated = data.isActive === false && user.isActive;
      if (user.role === 'admin' && (roleChanged || deactivated)) await this.keepAnAdmin(em, user.id);
      if (data.firstName !== undefined) user.firstName = data.firstName;
      if (data.lastName !== undefined) user.lastName = data.lastName;
      if (data.phone !== undefined) user.phone = data.phone;
      if (data.role !== undefined) user.role = data.role;
      if (data.isActive !== undefined) user.isActive = data.isActive;
      if (data.maxConcurrentConversations !== undefined) user.maxConcurrentConversations = data.maxConcurrentConversations;
      if (roleChanged) {
        recordEvent(em, {
          type: 'user.role_changed',
          tenantId: user.tenantId,
          aggregateId: user.id,
          payload: directoryState(user),
        });
      }
      if (deactivated) await this.recordDeactivation(em, user, caller);
      recordEvent(em, { type: 'user.updated', tenantId: user.tenantId, aggregateId: user.id, payload: directoryState(user) });
      return user;
    });
  }

  async deactivate(id: string): Promise<User> {
    return this.update(id, { isActive: false });
  }

  async updateSkills(id: string, skills: unknown): Promise<User> {
    authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const parsed = parseInput(z.object({ skills: tags }), { skills });
    const user = await this.require(id);
    user.skills = parsed.skills;
    recordEvent(this.ctx.em(), { type: 'user.updated', tenantId: user.tenantId, aggregateId: user.id, payload: directoryState(user) });
    await this.ctx.em().flush();
    return user;
  }

  async changePassword(input: unknown): Promise<boolean> {
    const caller = requireCaller(this.ctx.caller);
    const data = parseInput(changePasswordSchema, input);
    const targetId = data.userId ?? caller.userId;
    if (!targetId) throw new ValidationError([{ field: 'userId', message: 'is required for an API key' }]);
    if (targetId === caller.userId) authorize(caller, { scope: 'write' });
    else authorize(caller, { roles: ['admin'], scope: 'admin' });
    await this.ctx.em().transactional(async (em) => {
      const user = await this.require(targetId, em);
      const ownPassword = targetId === caller.userId;
      if (ownPassword && !(data.currentPassword && (await verifyPassword(user.passwordHash, data.currentPassword)))) {
        throw new ValidationError([{ field: 'currentPassword', message: 'is not the current password' }]);
      }
      user.passwordHash = await hashPassword(data.newPassword);
      await revokeUserSessions(em, caller.tenantId, targetId, 'password_changed');
    });
    return true;
  }

  /** Ids of the teams a user belongs to, oldest membership first (batched). */
  teamIds(userId: string): Promise<string[]> {
    return this.ctx
      .loader<string, string[]>('users.teamIds', async (userIds) => {
        const memberships = await this.ctx.em().find(TeamMemberEntity, { user: { $in: [...userIds] } }, { orderBy: { joinedAt: 'asc' } });
        const byUser = new Map<string, string[]>();
        for (const membership of memberships)
          byUser.set(membership.user.id, [...(byUser.get(membership.user.id) ?? []), membership.team.id]);
        return userIds.map((id) => byUser.get(id) ?? []);
      })
      .load(userId);
  }

  private async require(id: string, em: EntityManager = this.ctx.em()): Promise<User> {
    const user = isUuid(id) ? await em.findOne(UserEntity, { id }) : null;
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  /** Locks the tenant's active admins, so two admins demoting each other cannot both succeed. */
  private async keepAnAdmin(em: EntityManager, leavingAdminId: string): Promise<void> {
    const admins = await em.find(
      UserEntity,
      { role: 'admin', isActive: true },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    if (!admins.some((admin) => admin.id !== leavingAdminId)) throw new ConflictError('A tenant needs at least one active admin');
  }

  private async recordDeactivation(em: EntityManager, user: User, caller: Caller): Promise<void> {
    await revokeUserSessions(em, user.tenantId, user.id, 'user_deactivated');
    recordEvent(em, {
      type: 'user.deactivated',
      tenantId: user.tenantId,
      aggregateId: user.id,
      payload: { ...directoryState(user), by: caller.userId },
    });
  }
}

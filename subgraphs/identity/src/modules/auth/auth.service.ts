import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ACCESS_TOKEN_TTL_SECONDS, authorize, requireCaller, roles, scopesForRole, signAccessToken } from '@deskgraph/auth';
import { flushOrConflict, recordEvent, tenantEntityManager } from '@deskgraph/database';
import { NotFoundError, UnauthorizedError, ValidationError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { email, isUuid, password, personName, phoneE164, trimmedText } from '@deskgraph/validation';
import type { IdentityConfig } from '../../config.js';
import { TenantEntity } from '../tenants/tenant.entity.js';
import { verifyPassword } from '../users/password.js';
import { UserEntity, type User } from '../users/user.entity.js';
import { createUserRecord, newUserSchema } from '../users/users.service.js';
import { RefreshTokenEntity } from './refresh-token.entity.js';
import { addRefreshToken, hashToken, revokeSession } from './sessions.js';

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
  user: User;
}

const registerSchema = z
  .object({
    email,
    password,
    firstName: personName.nullish(),
    lastName: personName.nullish(),
    name: trimmedText(201).nullish(),
    phone: phoneE164.nullish(),
    role: z.enum(roles).nullish(),
    tenantId: z.string().nullish(),
    tenantName: trimmedText(200).min(1).nullish(),
  })
  .transform((input, context) => {
    const [first, ...rest] = (input.name ?? '').split(/\s+/).filter(Boolean);
    const firstName = input.firstName ?? first;
    const lastName = input.lastName ?? (rest.length > 0 ? rest.join(' ') : undefined);
    if (!firstName) context.addIssue({ code: 'custom', path: ['firstName'], message: 'is required (or give name)' });
    return { ...input, firstName: firstName ?? '', lastName: lastName ?? '' };
  });

const loginSchema = z.object({ email, password: z.string().min(1).max(128) });

/** Registration, sign-in and the refresh-token lifecycle (rotation with reuse detection). */
export class AuthService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly orm: MikroORM,
    private readonly config: IdentityConfig,
  ) {}

  async register(input: unknown): Promise<AuthPayload> {
    const data = parseInput(registerSchema, input);
    if (data.tenantId) return this.registerIntoTenant(data.tenantId, data);
    if (data.role && data.role !== 'admin') {
      throw new ValidationError([
        { field: 'role', message: 'the first user of a new tenant is its admin; give tenantId to join a tenant' },
      ]);
    }
    const tenantId = randomUUID();
    const em = tenantEntityManager(this.orm.em as EntityManager, tenantId);
    const user = parseNewUser({ ...data, role: 'admin' });
    const tenant = em.create(TenantEntity, { id: tenantId, name: data.tenantName ?? user.email.split('@')[1] ?? user.email });
    recordEvent(em, { type: 'tenant.created', tenantId, aggregateId: tenantId, payload: { tenantId, name: tenant.name } });
    const created = await createUserRecord(em, tenantId, user);
    return this.signIn(em, created);
  }

  async login(input: unknown): Promise<AuthPayload> {
    const data = parseInput(loginSchema, input);
    const candidate = await this.orm.em.fork().findOne(UserEntity, { email: data.email }, { filters: false });
    const valid = await verifyPassword(candidate?.passwordHash ?? null, data.password);
    if (!candidate || !valid || !candidate.isActive) throw new UnauthorizedError('Invalid email or password');
    const em = tenantEntityManager(this.orm.em as EntityManager, candidate.tenantId);
    const user = await em.findOneOrFail(UserEntity, { id: candidate.id });
    user.lastLoginAt = new Date();
    return this.signIn(em, user);
  }

  async refresh(input: unknown): Promise<AuthPayload> {
    const { refreshToken } = parseInput(z.object({ refreshToken: z.string().min(1).max(200) }), input);
    const found = await this.orm.em.fork().findOne(RefreshTokenEntity, { tokenHash: hashToken(refreshToken) }, { filters: false });
    if (!found) throw new UnauthorizedError('Invalid refresh token');
    const em = tenantEntityManager(this.orm.em as EntityManager, found.tenantId);
    const token = await em.findOneOrFail(RefreshTokenEntity, { id: found.id }, { populate: ['user'] });
    if (token.revokedAt) throw new UnauthorizedError('Refresh token revoked');
    const rotated = await em.transactional(async (tx) => {
      // Claim the token atomically: of two uses of one token, exactly one wins.
      const claimed = token.usedAt ? 0 : await tx.nativeUpdate(RefreshTokenEntity, { id: token.id, usedAt: null }, { usedAt: new Date() });
      if (claimed === 0) return null;
      if (token.expiresAt.getTime() <= Date.now()) throw new UnauthorizedError('Refresh token expired');
      const user = token.user.getEntity();
      if (!user.isActive) throw new UnauthorizedError('User is inactive');
      return { user, next: addRefreshToken(tx, user, this.config.refreshTokenTtlDays, token) };
    });
    if (!rotated) {
      await em.transactional((tx) => revokeSession(tx, token.tenantId, token.user.id, token.familyId, 'refresh_token_reused'));
      throw new UnauthorizedError('Refresh token reuse detected; the session has been revoked');
    }
    return this.payload(rotated.user, rotated.next.token, token.familyId);
  }

  async logout(input: unknown): Promise<boolean> {
    const caller = requireCaller(this.ctx.caller);
    const { refreshToken } = parseInput(z.object({ refreshToken: z.string().max(200).nullish() }).nullish(), input) ?? {};
    const em = this.ctx.em();
    let familyId = caller.sessionId;
    if (refreshToken) {
      const token = await em.findOne(RefreshTokenEntity, { tokenHash: hashToken(refreshToken) });
      if (!token) throw new NotFoundError('Session');
      familyId = token.familyId;
    }
    if (!familyId || !caller.userId) throw new ValidationError([{ field: 'refreshToken', message: 'is required for an API key' }]);
    const sessionId = familyId;
    const userId = caller.userId;
    await em.transactional((tx) => revokeSession(tx, caller.tenantId, userId, sessionId, 'logout'));
    return true;
  }

  /** Adding a user to an existing tenant is an admin's act; other tenants do not exist for the caller. */
  private async registerIntoTenant(tenantId: string, data: z.output<typeof registerSchema>): Promise<AuthPayload> {
    const caller = requireCaller(this.ctx.caller);
    if (!isUuid(tenantId) || caller.tenantId !== tenantId) throw new NotFoundError('Tenant', tenantId);
    authorize(caller, { roles: ['admin'], scope: 'admin' });
    const em = this.ctx.em();
    const user = await createUserRecord(em, tenantId, parseNewUser({ ...data, role: data.role ?? 'agent' }));
    return this.signIn(em, user);
  }

  private async signIn(em: EntityManager, user: User): Promise<AuthPayload> {
    const { token, record } = addRefreshToken(em, user, this.config.refreshTokenTtlDays);
    await flushOrConflict(em, 'A user with this email already exists');
    return this.payload(user, token, record.familyId);
  }

  private async payload(user: User, refreshToken: string, sessionId: string): Promise<AuthPayload> {
    this.ctx.actAs({
      kind: 'user',
      tenantId: user.tenantId,
      userId: user.id,
      apiKeyId: null,
      sessionId,
      role: user.role,
      scopes: scopesForRole(user.role),
    });
    const accessToken = await signAccessToken(this.config.jwtSecret, {
      userId: user.id,
      tenantId: user.tenantId,
      role: user.role,
      sessionId,
    });
    return { accessToken, refreshToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, tokenType: 'Bearer', user };
  }
}

function parseNewUser(input: Record<string, unknown>) {
  return parseInput(newUserSchema, {
    email: input.email,
    password: input.password,
    firstName: input.firstName,
    lastName: input.lastName,
    phone: input.phone,
    role: input.role,
  });
}

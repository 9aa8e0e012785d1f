import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordEvent } from '@deskgraph/database';
import type { User } from '../users/user.entity.js';
import { RefreshTokenEntity, type RefreshToken } from './refresh-token.entity.js';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new opaque refresh token: 256 random bits. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Adds a refresh token to a session (a new family when `familyId` is omitted). */
export function addRefreshToken(
  em: EntityManager,
  user: User,
  ttlDays: number,
  parent?: RefreshToken,
): { token: string; record: RefreshToken } {
  const token = newRefreshToken();
  const record = em.create(RefreshTokenEntity, {
    id: randomUUID(),
    tenantId: user.tenantId,
    user,
    familyId: parent?.familyId ?? randomUUID(),
    tokenHash: hashToken(token),
    parentId: parent?.id ?? null,
    expiresAt: new Date(Date.now() + ttlDays * 86_400_000),
    usedAt: null,
    revokedAt: null,
  });
  return { token, record };
}

/** Revokes every token of one session and announces it (live subscriptions end on it). */
export async function revokeSession(em: EntityManager, tenantId: string, userId: string, familyId: string, reason: string): Promise<void> {
  await em.nativeUpdate(RefreshTokenEntity, { familyId, revokedAt: null }, { revokedAt: new Date() });
  recordEvent(em, { type: 'session.revoked', tenantId, aggregateId: familyId, payload: { sessionId: familyId, userId, reason } });
}

/** Revokes every session of a user (password change, deactivation). */
export async function revokeUserSessions(em: EntityManager, tenantId: string, userId: string, reason: string): Promise<void> {
  const active = await em.find(RefreshTokenEntity, { user: userId, revokedAt: null }, { fields: ['familyId'] });
  const families = [...new Set(active.map((token) => token.familyId))];
  for (const familyId of families) await revokeSession(em, tenantId, userId, familyId, reason);
}

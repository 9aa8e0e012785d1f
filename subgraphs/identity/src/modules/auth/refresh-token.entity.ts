import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { tenantFilter } from '@deskgraph/database';
import { UserEntity } from '../users/user.entity.js';

/**
 * One refresh token of a session. A session is a family of tokens, each replacing its
 * parent; only the SHA-256 of the token is stored.
 */
export const RefreshTokenEntity = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    user: p.manyToOne(UserEntity).deleteRule('cascade').ref(),
    familyId: p.uuid().index(),
    tokenHash: p.string().length(64).unique(),
    parentId: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
});
export type RefreshToken = InferEntity<typeof RefreshTokenEntity>;

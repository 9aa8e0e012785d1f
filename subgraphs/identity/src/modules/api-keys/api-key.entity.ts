import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { type scopes } from '@deskgraph/auth';
import { tenantFilter } from '@deskgraph/database';

export const ApiKeyEntity = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  filters: tenantFilter,
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    name: p.string().length(120),
    prefix: p.string().length(16),
    /** SHA-256 of the whole key: keys are random and long, so a slow hash adds nothing. */
    keyHash: p.string().length(64).unique(),
    scopes: p.array<(typeof scopes)[number]>(),
    createdById: p.uuid().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  }),
  indexes: [{ name: 'api_keys_tenant_created_idx', properties: ['tenantId', 'createdAt'] }],
});
export type ApiKey = InferEntity<typeof ApiKeyEntity>;

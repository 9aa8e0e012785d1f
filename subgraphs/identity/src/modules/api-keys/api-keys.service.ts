import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { authorize, scopes, type Role, type Scope } from '@deskgraph/auth';
import { recordEvent } from '@deskgraph/database';
import { NotFoundError, parseInput } from '@deskgraph/errors';
import type { RequestContext } from '@deskgraph/subgraph-kit';
import { isUuid, trimmedText } from '@deskgraph/validation';
import { hashToken } from '../auth/sessions.js';
import { ApiKeyEntity, type ApiKey } from './api-key.entity.js';

/** What a valid key grants; the gateway turns it into the caller. */
export interface ApiKeyGrant {
  apiKeyId: string;
  tenantId: string;
  role: Role;
  scopes: Scope[];
}

const KEY_PREFIX = 'dg_';
const LAST_USED_PRECISION_MS = 60_000;

const createApiKeySchema = z.object({
  name: trimmedText(120).min(1, { message: 'is required' }),
  scopes: z
    .array(z.enum(scopes))
    .min(1, { message: 'needs at least one scope' })
    .transform((values) => [...new Set(values)]),
  expiresAt: z
    .date()
    .nullish()
    .refine((date) => !date || date.getTime() > Date.now(), { message: 'must be in the future' }),
});

export function isApiKeyActive(key: ApiKey, now = Date.now()): boolean {
  return !key.revokedAt && (!key.expiresAt || key.expiresAt.getTime() > now);
}

export function roleOfScopes(granted: readonly Scope[]): Role {
  return granted.includes('admin') ? 'admin' : 'agent';
}

export class ApiKeysService {
  constructor(
    private readonly ctx: RequestContext,
    private readonly orm: MikroORM,
  ) {}

  /** A key of the caller's tenant, batched; null unless the caller administers the tenant. */
  async load(id: string): Promise<ApiKey | null> {
    const caller = this.ctx.caller;
    if (!caller || (caller.kind !== 'system' && (caller.role !== 'admin' || !caller.scopes.includes('admin')))) return null;
    return this.ctx.byId(ApiKeyEntity, id);
  }

  async list(): Promise<ApiKey[]> {
    authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    return this.ctx.em().find(ApiKeyEntity, {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  async create(input: unknown): Promise<{ apiKey: ApiKey; key: string }> {
    const caller = authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const data = parseInput(createApiKeySchema, input);
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const em = this.ctx.em();
    const apiKey = em.create(ApiKeyEntity, {
      id: randomUUID(),
      tenantId: caller.tenantId,
      name: data.name,
      prefix: key.slice(0, 12),
      keyHash: hashToken(key),
      scopes: data.scopes,
      createdById: caller.userId,
      lastUsedAt: null,
      expiresAt: data.expiresAt ?? null,
      revokedAt: null,
    });
    recordEvent(em, { type: 'api_key.created', tenantId: caller.tenantId, aggregateId: apiKey.id, payload: { apiKeyId: apiKey.id } });
    await em.flush();
    return { apiKey, key };
  }

  async revoke(id: string): Promise<ApiKey> {
    const caller = authorize(this.ctx.caller, { roles: ['admin'], scope: 'admin' });
    const em = this.ctx.em();
    const apiKey = isUuid(id) ? await em.findOne(ApiKeyEntity, { id }) : null;
    if (!apiKey) throw new NotFoundError('API key', id);
    if (!apiKey.revokedAt) {
      apiKey.revokedAt = new Date();
      recordEvent(em, { type: 'api_key.revoked', tenantId: caller.tenantId, aggregateId: apiKey.id, payload: { apiKeyId: apiKey.id } });
      await em.flush();
    }
    return apiKey;
  }

  /** The grant of a key, or null (gateway only: keys are looked up across tenants). */
  async verify(key: string): Promise<ApiKeyGrant | null> {
    const caller = authorize(this.ctx.caller);
    if (caller.kind !== 'system') return null;
    if (!key.startsWith(KEY_PREFIX) || key.length > 100) return null;
    const em = this.orm.em.fork();
    const apiKey = await em.findOne(ApiKeyEntity, { keyHash: hashToken(key) }, { filters: false });
    if (!apiKey || !isApiKeyActive(apiKey)) return null;
    if (!apiKey.lastUsedAt || Date.now() - apiKey.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
      await em.nativeUpdate(ApiKeyEntity, { id: apiKey.id }, { lastUsedAt: new Date() }, { filters: false });
    }
    return { apiKeyId: apiKey.id, tenantId: apiKey.tenantId, role: roleOfScopes(apiKey.scopes), scopes: apiKey.scopes };
  }
}

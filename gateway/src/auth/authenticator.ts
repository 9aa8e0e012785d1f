import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { scopesForRole, verifyAccessToken, type CallerAssertions, type Caller, type Role, type Scope } from '@deskgraph/auth';
import type { EventBus } from '@deskgraph/events';
import { ServiceUnavailableError, UnauthorizedError } from '@deskgraph/errors';
import type { SubgraphClient } from '../subgraphs/subgraph-client.js';

const SYSTEM_TENANT = '00000000-0000-0000-0000-000000000000';
const API_KEY_CACHE_MS = 30_000;
const ACCESS_TOKEN_MAX_AGE_MS = 3_600_000;

const VERIFY_API_KEY = /* GraphQL */ `
  query VerifyApiKey($key: String!) {
    _verifyApiKey(key: $key) {
      apiKeyId
      tenantId
      role
      scopes
    }
  }
`;

interface ApiKeyGrant {
  apiKeyId: string;
  tenantId: string;
  role: string;
  scopes: string[];
}

/** The gateway itself, for its own calls to subgraphs (API key checks, health). */
export const systemCaller: Caller = {
  kind: 'system',
  tenantId: SYSTEM_TENANT,
  userId: null,
  apiKeyId: null,
  sessionId: null,
  role: 'admin',
  scopes: [],
};

/**
 * Turns request credentials into a caller: a JWT access token (`Authorization: Bearer`)
 * or an API key (`X-API-Key`, checked by the identity subgraph and cached briefly).
 * Sessions ended by logout, deactivation or a reused refresh token stop working at once:
 * their `session.revoked` / `user.deactivated` events reach every gateway over the bus.
 */
export class Authenticator {
  private readonly apiKeys = new LRUCache<string, { grant: ApiKeyGrant | null }>({ max: 10_000, ttl: API_KEY_CACHE_MS });
  private readonly revokedSessions = new LRUCache<string, true>({ max: 100_000, ttl: ACCESS_TOKEN_MAX_AGE_MS });
  /** When each recently deactivated user was deactivated (epoch seconds): their tokens issued until then are refused. */
  private readonly deactivatedUsers = new LRUCache<string, number>({ max: 100_000, ttl: ACCESS_TOKEN_MAX_AGE_MS });
  private readonly unsubscribe: () => void;

  constructor(private readonly options: { jwtSecret: string; identity: SubgraphClient; assertions: CallerAssertions; bus: EventBus }) {
    this.unsubscribe = options.bus.subscribe((event) => {
      if (event.type === 'session.revoked') this.revokedSessions.set(String(event.payload.sessionId), true);
      if (event.type === 'user.deactivated') {
        // A user reactivated later signs in again: tokens issued after the deactivation stay valid.
        this.deactivatedUsers.set(String(event.payload.userId), Math.floor(Date.parse(event.occurredAt) / 1000));
      }
      if (event.type === 'api_key.revoked') this.apiKeys.clear();
    });
  }

  /** Null when no credentials were presented; UNAUTHORIZED when they are invalid. */
  async authenticate(headers: { authorization?: string | undefined; apiKey?: string | undefined }): Promise<Caller | null> {
    const bearer = headers.authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    if (headers.authorization && !bearer) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
    if (bearer) return this.fromAccessToken(bearer);
    if (headers.apiKey) return this.fromApiKey(headers.apiKey.trim());
    return null;
  }

  /** When a bearer token stops being valid (epoch seconds); null for API keys and no token. */
  async tokenExpiry(authorization: string | undefined): Promise<number | null> {
    const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    if (!bearer) return null;
    return (await verifyAccessToken(this.options.jwtSecret, bearer)).expiresAt;
  }

  close(): void {
    this.unsubscribe();
  }

  private async fromAccessToken(token: string): Promise<Caller> {
    const claims = await verifyAccessToken(this.options.jwtSecret, token);
    const deactivatedAt = this.deactivatedUsers.get(claims.userId);
    if (this.revokedSessions.has(claims.sessionId) || (deactivatedAt !== undefined && claims.issuedAt <= deactivatedAt)) {
      throw new UnauthorizedError('The session has ended');
    }
    return {
      kind: 'user',
      tenantId: claims.tenantId,
      userId: claims.userId,
      apiKeyId: null,
      sessionId: claims.sessionId,
      role: claims.role,
      scopes: scopesForRole(claims.role),
    };
  }

  private async fromApiKey(key: string): Promise<Caller> {
    const cacheKey = createHash('sha256').update(key).digest('hex');
    let cached = this.apiKeys.get(cacheKey);
    if (!cached) {
      cached = { grant: await this.lookUpApiKey(key) };
      this.apiKeys.set(cacheKey, cached);
    }
    if (!cached.grant) throw new UnauthorizedError('Invalid API key');
    return {
      kind: 'apiKey',
      tenantId: cached.grant.tenantId,
      userId: null,
      apiKeyId: cached.grant.apiKeyId,
      sessionId: null,
      role: cached.grant.role.toLowerCase() as Role,
      scopes: cached.grant.scopes.map((scope) => scope.toLowerCase() as Scope),
    };
  }

  private async lookUpApiKey(key: string): Promise<ApiKeyGrant | null> {
    const result = await this.options.identity.execute({
      query: VERIFY_API_KEY,
      variables: { key },
      operationName: 'VerifyApiKey',
      callerToken: await this.options.assertions.sign(systemCaller),
      requestId: 'api-key-check',
    });
    if (result.errors?.length) throw new ServiceUnavailableError('The API key could not be checked');
    return (result.data as { _verifyApiKey: ApiKeyGrant | null } | undefined)?._verifyApiKey ?? null;
  }
}

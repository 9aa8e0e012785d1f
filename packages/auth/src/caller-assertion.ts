import { createSecretKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { UnauthorizedError } from '@deskgraph/errors';
import { callerKinds, roles, scopes, type Caller } from './caller.js';

/** The header that carries the gateway's signed statement of who is calling. */
export const CALLER_HEADER = 'x-deskgraph-caller';

const ALGORITHM = 'HS256';
const ISSUER = 'deskgraph-gateway';
const AUDIENCE = 'deskgraph-subgraph';
const TTL_SECONDS = 300;

/**
 * The gateway signs the caller it authenticated; every subgraph verifies that
 * signature before trusting it, whether it runs in-process or remotely.
 * Both sides cache: a token is signed once per caller per few minutes and verified once.
 */
export class CallerAssertions {
  private readonly key: KeyObject;
  private readonly signed = new LRUCache<string, { token: string; expiresAt: number }>({ max: 10_000 });
  private readonly verified = new LRUCache<string, { caller: Caller; expiresAt: number }>({ max: 10_000 });

  constructor(secret: string) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  async sign(caller: Caller): Promise<string> {
    const cacheKey = JSON.stringify(caller);
    const now = Math.floor(Date.now() / 1000);
    const cached = this.signed.get(cacheKey);
    if (cached && cached.expiresAt - now > 60) return cached.token;
    const token = await new SignJWT({
      kind: caller.kind,
      tid: caller.tenantId,
      uid: caller.userId,
      kid: caller.apiKeyId,
      sid: caller.sessionId,
      role: caller.role,
      scopes: caller.scopes,
      ...(caller.customerId !== undefined ? { cid: caller.customerId } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + TTL_SECONDS)
      .sign(this.key);
    this.signed.set(cacheKey, { token, expiresAt: now + TTL_SECONDS });
    return token;
  }

  async verify(token: string): Promise<Caller> {
    const cached = this.verified.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.caller;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: [ALGORITHM], issuer: ISSUER, audience: AUDIENCE }));
    } catch {
      throw new UnauthorizedError('Invalid caller assertion');
    }
    const caller = toCaller(payload);
    // Served from the cache only while the token itself is valid.
    if (typeof payload.exp === 'number') this.verified.set(token, { caller, expiresAt: payload.exp * 1000 });
    return caller;
  }
}

function toCaller(payload: Record<string, unknown>): Caller {
  const { kind, tid, uid, kid, sid, role, cid } = payload;
  const claimedScopes = payload.scopes;
  const valid =
    typeof kind === 'string' &&
    (callerKinds as readonly string[]).includes(kind) &&
    typeof tid === 'string' &&
    (uid === null || typeof uid === 'string') &&
    (kid === null || typeof kid === 'string') &&
    (sid === null || typeof sid === 'string') &&
    (cid === undefined || cid === null || typeof cid === 'string') &&
    typeof role === 'string' &&
    (roles as readonly string[]).includes(role) &&
    Array.isArray(claimedScopes) &&
    claimedScopes.every((scope) => (scopes as readonly unknown[]).includes(scope));
  // A visitor is a customer record and nothing else: no user, no key.
  const validVisitor = kind !== 'visitor' || (role === 'customer' && typeof cid === 'string' && uid === null && kid === null);
  if (!valid || !validVisitor) throw new UnauthorizedError('Malformed caller assertion');
  return {
    kind: kind as Caller['kind'],
    tenantId: tid,
    userId: uid,
    apiKeyId: kid,
    sessionId: sid,
    role: role as Caller['role'],
    scopes: claimedScopes as Caller['scopes'],
    ...(cid !== undefined ? { customerId: cid } : {}),
  };
}

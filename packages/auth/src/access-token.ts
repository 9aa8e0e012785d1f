import { createSecretKey, randomUUID, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { UnauthorizedError } from '@deskgraph/errors';
import { roles, type Role } from './caller.js';

/** Access tokens live one hour, as the 000 document's login response says (`expiresIn: 3600`). */
export const ACCESS_TOKEN_TTL_SECONDS = 3600;

const ALGORITHM = 'HS256';
const ISSUER = 'deskgraph';
const AUDIENCE = 'deskgraph-api';

export interface AccessTokenClaims {
  userId: string;
  tenantId: string;
  role: Role;
  sessionId: string;
}

const keys = new Map<string, KeyObject>();

/** One KeyObject per secret: jose would import raw bytes again on every verification. */
function key(secret: string): KeyObject {
  let found = keys.get(secret);
  if (!found) {
    found = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, found);
  }
  return found;
}

export async function signAccessToken(secret: string, claims: AccessTokenClaims, ttlSeconds = ACCESS_TOKEN_TTL_SECONDS): Promise<string> {
  return new SignJWT({ tid: claims.tenantId, role: claims.role, sid: claims.sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key(secret));
}

/** Verifies signature, algorithm (pinned), issuer, audience and expiry. */
export async function verifyAccessToken(
  secret: string,
  token: string,
): Promise<AccessTokenClaims & { issuedAt: number; expiresAt: number }> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    const role = payload.role;
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.tid !== 'string' ||
      typeof payload.sid !== 'string' ||
      typeof role !== 'string' ||
      !(roles as readonly string[]).includes(role) ||
      typeof payload.exp !== 'number' ||
      typeof payload.iat !== 'number'
    ) {
      throw new UnauthorizedError('Malformed access token');
    }
    return {
      userId: payload.sub,
      tenantId: payload.tid,
      sessionId: payload.sid,
      role: role as Role,
      issuedAt: payload.iat,
      expiresAt: payload.exp,
    };
  } catch (error) {
    if (error instanceof UnauthorizedError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new UnauthorizedError('Access token expired');
    throw new UnauthorizedError('Invalid access token');
  }
}

import { randomUUID } from 'node:crypto';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '@deskgraph/errors';
import { ACCESS_TOKEN_TTL_SECONDS, signAccessToken, verifyAccessToken, type AccessTokenClaims } from '../index.js';

const SECRET = 'access-token-test-secret-0123456789';

function claims(overrides: Partial<AccessTokenClaims> = {}): AccessTokenClaims {
  return { userId: randomUUID(), tenantId: randomUUID(), role: 'agent', sessionId: randomUUID(), ...overrides };
}

/** A token with the right issuer and audience but a free-form payload and algorithm. */
function craft(payload: Record<string, unknown>, options: { alg?: string; secret?: string; issuer?: string; audience?: string } = {}) {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setIssuer(options.issuer ?? 'deskgraph')
    .setAudience(options.audience ?? 'deskgraph-api')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function refusal(token: string, secret = SECRET): Promise<UnauthorizedError> {
  const error = await verifyAccessToken(secret, token).then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UnauthorizedError);
  return error as UnauthorizedError;
}

describe('access tokens', () => {
  it('round-trips the claims and expires after one hour by default', async () => {
    const expected = claims({ role: 'admin' });
    const before = Math.floor(Date.now() / 1000);
    const token = await signAccessToken(SECRET, expected);
    const verified = await verifyAccessToken(SECRET, token);
    expect(verified).toMatchObject(expected);
    expect(verified.expiresAt).toBeGreaterThanOrEqual(before + ACCESS_TOKEN_TTL_SECONDS);
    expect(verified.expiresAt).toBeLessThanOrEqual(before + ACCESS_TOKEN_TTL_SECONDS + 2);
  });

  it('signs HS256 with issuer, audience, a unique id and the tenant in `tid`', async () => {
    const expected = claims();
    const first = await signAccessToken(SECRET, expected);
    const second = await signAccessToken(SECRET, expected);
    expect(decodeProtectedHeader(first)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = decodeJwt(first);
    expect(payload).toMatchObject({
      sub: expected.userId,
      tid: expected.tenantId,
      sid: expected.sessionId,
      role: 'agent',
      iss: 'deskgraph',
      aud: 'deskgraph-api',
    });
    expect(payload.jti).not.toBe(decodeJwt(second).jti);
  });

  it('refuses an expired token with "Access token expired"', async () => {
    const token = await signAccessToken(SECRET, claims(), -10);
    const error = await refusal(token);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe('Access token expired');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signAccessToken('another-secret-another-secret-000', claims());
    expect((await refusal(token)).message).toBe('Invalid access token');
  });

  it('refuses a token signed with HS512 even with the right secret', async () => {
    const { userId, tenantId, sessionId } = claims();
    const token = await craft({ sub: userId, tid: tenantId, sid: sessionId, role: 'admin' }, { alg: 'HS512' });
    expect((await refusal(token)).message).toBe('Invalid access token');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      sub: randomUUID(),
      tid: randomUUID(),
      sid: randomUUID(),
      role: 'admin',
      iss: 'deskgraph',
      aud: 'deskgraph-api',
      iat: now,
      exp: now + 600,
    };
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
    expect((await refusal(token)).message).toBe('Invalid access token');
  });

  it('refuses a token whose payload was changed after signing', async () => {
    const token = await signAccessToken(SECRET, claims({ role: 'agent' }));
    const [header, payload, signature] = token.split('.');
    const elevated = { ...decodeJwt(token), role: 'admin' };
    expect(payload).not.toBe(base64url(elevated));
    expect((await refusal(`${header}.${base64url(elevated)}.${signature}`)).message).toBe('Invalid access token');
  });

  it('refuses a token for another issuer or audience', async () => {
    const { userId, tenantId, sessionId } = claims();
    const payload = { sub: userId, tid: tenantId, sid: sessionId, role: 'agent' };
    expect((await refusal(await craft(payload, { issuer: 'someone-else' }))).message).toBe('Invalid access token');
    expect((await refusal(await craft(payload, { audience: 'deskgraph-subgraph' }))).message).toBe('Invalid access token');
  });

  it.each([
    ['without a subject', { tid: randomUUID(), sid: randomUUID(), role: 'agent' }],
    ['without a tenant', { sub: randomUUID(), sid: randomUUID(), role: 'agent' }],
    ['without a session', { sub: randomUUID(), tid: randomUUID(), role: 'agent' }],
    ['without a role', { sub: randomUUID(), tid: randomUUID(), sid: randomUUID() }],
    ['with an unknown role', { sub: randomUUID(), tid: randomUUID(), sid: randomUUID(), role: 'superuser' }],
    ['with a numeric tenant', { sub: randomUUID(), tid: 7, sid: randomUUID(), role: 'agent' }],
  ])('refuses a correctly signed token %s as malformed', async (_case, payload) => {
    expect((await refusal(await craft(payload))).message).toBe('Malformed access token');
  });

  it('refuses a correctly signed token without an expiry as malformed', async () => {
    const token = await new SignJWT({ sub: randomUUID(), tid: randomUUID(), sid: randomUUID(), role: 'agent' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('deskgraph')
      .setAudience('deskgraph-api')
      .sign(new TextEncoder().encode(SECRET));
    expect((await refusal(token)).message).toBe('Malformed access token');
  });

  it.each(['', 'not.a.jwt', 'Bearer abc'])('refuses garbage %j', async (token) => {
    expect((await refusal(token)).message).toBe('Invalid access token');
  });
});

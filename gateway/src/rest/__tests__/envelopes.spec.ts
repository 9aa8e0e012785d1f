import type { AddressInfo } from 'node:net';
import http from 'node:http';
import express, { type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, type ErrorCode } from '@deskgraph/errors';
import { aiPlatformCodeOf, familyOfPath, httpStatusOf, sendFailure, sendSuccess, type DocumentFamily } from '../envelopes.js';

const expected: Record<ErrorCode, { status: number; aiPlatform: string }> = {
  UNAUTHORIZED: { status: 401, aiPlatform: 'authentication_error' },
  FORBIDDEN: { status: 403, aiPlatform: 'authorization_error' },
  NOT_FOUND: { status: 404, aiPlatform: 'resource_not_found' },
  VALIDATION_ERROR: { status: 400, aiPlatform: 'invalid_request' },
  CONFLICT: { status: 409, aiPlatform: 'conflict' },
  RATE_LIMITED: { status: 429, aiPlatform: 'rate_limit_exceeded' },
  INTERNAL_ERROR: { status: 500, aiPlatform: 'internal_error' },
  SERVICE_UNAVAILABLE: { status: 503, aiPlatform: 'service_unavailable' },
  CHANNEL_ERROR: { status: 502, aiPlatform: 'channel_error' },
  AI_ERROR: { status: 502, aiPlatform: 'ai_error' },
};

describe('error code mapping', () => {
  it.each(errorCodes.map((code) => [code, expected[code].status, expected[code].aiPlatform] as const))(
    '%s is HTTP %i and %s in the 001 document',
    (code, status, aiPlatform) => {
      expect(httpStatusOf(code)).toBe(status);
      expect(aiPlatformCodeOf(code)).toBe(aiPlatform);
    },
  );

  it('gives every code its own 001 name', () => {
    expect(new Set(errorCodes.map(aiPlatformCodeOf)).size).toBe(errorCodes.length);
  });

  it('throws on a code it does not know instead of answering 200', () => {
    expect(() => httpStatusOf('TEAPOT' as ErrorCode)).toThrow('Unhandled case: TEAPOT');
    expect(() => aiPlatformCodeOf('TEAPOT' as ErrorCode)).toThrow('Unhandled case: TEAPOT');
  });
});

describe('familyOfPath', () => {
  it.each([
    ['/v1/users', '000'],
    ['/v1/auth/login?x=1', '000'],
    ['/api/core/conversations', '001'],
    ['/api/memory/facts', '001'],
    ['/api/channels/slack', '001'],
    ['/api/admin/users', '001'],
    ['/api/v1/teams', '004'],
    ['/api/contacts', '003'],
    ['/api/auth/login', '003'],
  ])('puts %s in document %s', (path, family) => {
    expect(familyOfPath(path)).toBe(family);
  });
});

describe('envelopes over HTTP', () => {
  let server: http.Server;
  let baseUrl: string;
  let write: (response: Response) => void = () => undefined;

  beforeAll(async () => {
    const app = express();
    app.get('/', (_request, response) => write(response));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function answer(writer: (response: Response) => void): Promise<{ status: number; body: any; text: string }> {
    write = writer;
    const response = await fetch(baseUrl);
    const text = await response.text();
    return { status: response.status, text, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  const pagination = { page: 2, pageSize: 10, totalItems: 35, totalPages: 4, hasNextPage: true, hasPreviousPage: true };
  const details = [{ field: 'email', message: 'must be a valid email address' }];
  const meta = { requestId: 'req-1', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) };

  it.each<DocumentFamily>(['000', '002', '004'])('wraps a %s success in success/data/meta, with pagination when given', async (family) => {
    const plain = await answer((response) => sendSuccess(response, family, 'req-1', { status: 200, body: { id: 'u1' } }));
    expect(plain).toMatchObject({ status: 200, body: { success: true, data: { id: 'u1' }, meta } });
    expect(plain.body).not.toHaveProperty('pagination');

    const paged = await answer((response) => sendSuccess(response, family, 'req-1', { status: 200, body: [{ id: 'u1' }], pagination }));
    expect(paged.body).toEqual({ success: true, data: [{ id: 'u1' }], pagination, meta });
  });

  it('answers a 001 success with the bare document body', async () => {
    const result = await answer((response) =>
      sendSuccess(response, '001', 'req-1', { status: 201, body: { user: { id: 'u1' }, created: true } }),
    );
    expect(result).toEqual({ status: 201, body: { user: { id: 'u1' }, created: true }, text: expect.any(String) });
  });

  it('answers a 003 success with success: true merged into the body', async () => {
    const result = await answer((response) =>
      sendSuccess(response, '003', 'req-1', { status: 200, body: { token: 't', user: { id: 'u1' } } }),
    );
    expect(result.body).toEqual({ success: true, token: 't', user: { id: 'u1' } });
  });

  it('answers 204 with an empty body in every family', async () => {
    for (const family of ['000', '001', '002', '003', '004'] as const) {
      const result = await answer((response) => sendSuccess(response, family, 'req-1', { status: 204, body: { ignored: true } }));
      expect(result).toEqual({ status: 204, body: undefined, text: '' });
    }
  });

  it.each<DocumentFamily>(['000', '002', '004'])(
    'wraps a %s failure in success: false, error { code, message, details } and meta',
    async (family) => {
      const result = await answer((response) =>
        sendFailure(response, family, 'req-1', { code: 'VALIDATION_ERROR', message: 'Invalid request data', details }),
      );
      expect(result.status).toBe(400);
      expect(result.body).toEqual({ success: false, error: { code: 'VALIDATION_ERROR', message: 'Invalid request data', details }, meta });

      const bare = await answer((response) =>
        sendFailure(response, family, 'req-1', { code: 'NOT_FOUND', message: 'User x was not found' }),
      );
      expect(bare.status).toBe(404);
      expect(bare.body.error).toEqual({ code: 'NOT_FOUND', message: 'User x was not found' });
    },
  );

  it('answers a 001 failure with the lower-case code and the request id', async () => {
    const result = await answer((response) => sendFailure(response, '001', 'req-1', { code: 'FORBIDDEN', message: 'Requires role admin' }));
    expect(result.status).toBe(403);
    expect(result.body).toEqual({ error: { code: 'authorization_error', message: 'Requires role admin' }, requestId: 'req-1' });

    const invalid = await answer((response) =>
      sendFailure(response, '001', 'req-1', { code: 'VALIDATION_ERROR', message: 'Bad', details }),
    );
    expect(invalid.body).toEqual({ error: { code: 'invalid_request', message: 'Bad', details }, requestId: 'req-1' });
  });

  it('answers a 003 failure with the message as `error`, plus code, details and request id', async () => {
    const result = await answer((response) =>
      sendFailure(response, '003', 'req-1', { code: 'CONFLICT', message: 'A user with this email already exists' }),
    );
    expect(result.status).toBe(409);
    expect(result.body).toEqual({ success: false, error: 'A user with this email already exists', code: 'CONFLICT', requestId: 'req-1' });

    const invalid = await answer((response) =>
      sendFailure(response, '003', 'req-1', { code: 'VALIDATION_ERROR', message: 'Bad', details }),
    );
    expect(invalid.body).toEqual({ success: false, error: 'Bad', code: 'VALIDATION_ERROR', details, requestId: 'req-1' });
  });

  it.each(errorCodes)('sends the mapped status for %s', async (code) => {
    const result = await answer((response) => sendFailure(response, '000', 'req-1', { code, message: 'x' }));
    expect(result.status).toBe(expected[code].status);
  });
});

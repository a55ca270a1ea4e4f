// A database that went away answers 503 ERR_DATABASE_UNAVAILABLE, never 500; a bad query stays a 500.
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../broker/http/env.ts';
import { problemResponse } from '../../broker/http/problem.ts';
import { isDatabaseUnavailable } from '../../broker/store/unavailable.ts';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('a lost database', () => {
  it.each([
    ['a terminated connection', new Error('Connection terminated unexpectedly')],
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a server shutting down', pgError('57P01', 'terminating connection due to administrator command')],
    ['a connection exception', pgError('08006')],
    ['a wrapped cause', new Error('query failed', { cause: pgError('ECONNRESET') })],
  ])('recognises %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a syntax error', pgError('42601', 'syntax error at or near "selec"')],
    ['a unique violation', pgError('23505')],
    ['a plain error', new Error('boom')],
    ['a string', 'Connection terminated'],
  ])('does not take %s for one', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('answers 503 problem+json with ERR_DATABASE_UNAVAILABLE, and 500 for anything else', async () => {
    const app = new Hono<AppEnv>();
    app.get('/lost', () => {
      throw new Error('Connection terminated unexpectedly');
    });
    app.get('/bug', () => {
      throw pgError('42601');
    });
    app.onError((error, c) => problemResponse(c, error));
    const lost = await app.request('/lost');
    expect(lost.status).toBe(503);
    expect(lost.headers.get('content-type')).toBe('application/problem+json');
    expect(await lost.json()).toMatchObject({ code: 'ERR_DATABASE_UNAVAILABLE' });
    const bug = await app.request('/bug');
    expect(bug.status).toBe(500);
    expect(JSON.stringify(await bug.json())).not.toContain('42601');
  });
});

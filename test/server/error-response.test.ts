// How the server answers errors that are neither an ApiError nor a SweepError: a full disk is 507 with
// a message that says so, anything else 500 without details.
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../src/server/errors.js';
import { StorageError } from '../../src/errors.js';
import { toSweepError, type PgOptions } from '../../src/tracking/postgres/connection.js';

const fsError = (code: string): Error => Object.assign(new Error(`${code}: no space left on device, write`), { code });

describe('toErrorResponse for unexpected errors', () => {
  it.each(['ENOSPC', 'EDQUOT'])('answers %s (a full disk or quota) with 507 naming it', (code) => {
    const answer = toErrorResponse(fsError(code));
    expect(answer.status).toBe(507);
    expect(answer.body.message).toContain(code);
    expect(answer.isInternal).toBe(true);
  });

  it('finds a full disk in the cause of a wrapping error (SQLite full)', () => {
    const wrapped = new Error('write failed', { cause: Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }) });
    expect(toErrorResponse(wrapped).status).toBe(507);
  });

  it('answers a store write cut by a full disk with 507 and the store\'s message', () => {
    const error = new StorageError('cannot write run abc: database or disk is full', { cause: Object.assign(new Error('full'), { code: 'SQLITE_FULL' }) });
    const answer = toErrorResponse(error);
    expect(answer.status).toBe(507);
    expect(answer.body.message).toContain('database or disk is full');
  });

  it('answers a database it cannot reach for now (PostgreSQL restarting) with 503, the store\'s message and hint, unlogged', () => {
    const options = { displayUri: 'postgresql://u@db:5432/sweep', retryForMs: 5000 } as PgOptions;
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const answer = toErrorResponse(toSweepError(refused, 'list experiments', options));
    expect(answer).toMatchObject({ status: 503, isInternal: false, body: { error_code: 'TEMPORARILY_UNAVAILABLE', sweep_code: 'E_STORAGE' } });
    expect(answer.body.message).toBe('list experiments: cannot reach PostgreSQL at postgresql://u@db:5432/sweep: connect ECONNREFUSED 10.0.0.1:5432');
    expect(answer.body.hint).toMatch(/retried for 5 s/);
    // Any other store fault stays a logged 500.
    expect(toErrorResponse(toSweepError(new Error('relation "runs" does not exist'), 'list experiments', options))).toMatchObject({ status: 500, isInternal: true });
  });

  it('answers any other unexpected error with 500 and no details', () => {
    const answer = toErrorResponse(Object.assign(new Error('boom /secret/path'), { code: 'EIO' }));
    expect(answer).toMatchObject({ status: 500, isInternal: true, body: { error_code: 'INTERNAL_ERROR' } });
    expect(answer.body.message).not.toContain('secret');
  });
});

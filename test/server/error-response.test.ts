// How the server answers errors that are neither an ApiError nor a SweepError: a full disk is 507 with
// a message that says so, anything else 500 without details.
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from '../../src/server/errors.js';
import { StorageError } from '../../src/errors.js';

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

  it('answers any other unexpected error with 500 and no details', () => {
    const answer = toErrorResponse(Object.assign(new Error('boom /secret/path'), { code: 'EIO' }));
    expect(answer).toMatchObject({ status: 500, isInternal: true, body: { error_code: 'INTERNAL_ERROR' } });
    expect(answer.body.message).not.toContain('secret');
  });
});

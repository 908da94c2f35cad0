// MLflow's error shape on the wire: `{error_code, message}` with the HTTP status MLflow gives each code,
// and the mapping of sweep's SweepError codes onto it. A client error is never a 5xx.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { isSweepError, type SweepErrorCode } from '../errors.js';

export type MlflowErrorCode =
  | 'INVALID_PARAMETER_VALUE'
  | 'BAD_REQUEST'
  | 'RESOURCE_ALREADY_EXISTS'
  | 'RESOURCE_DOES_NOT_EXIST'
  | 'ENDPOINT_NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_IMPLEMENTED'
  | 'TEMPORARILY_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** The JSON body of every error answer. `sweep_code` and `hint` are extras (MLflow allows extra keys). */
export interface ErrorBody {
  error_code: MlflowErrorCode;
  message: string;
  sweep_code?: SweepErrorCode;
  hint?: string;
}

/** An error the server answers with as is. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: MlflowErrorCode,
    message: string,
    readonly status: number = STATUS[errorCode],
    /** The SweepError code an HTTP store rebuilds on its side (E_IMMUTABLE for a changed param). */
    readonly sweepCode?: SweepErrorCode,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const invalidParameter = (message: string): ApiError => new ApiError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string): ApiError => new ApiError('RESOURCE_DOES_NOT_EXIST', message);

/** Status and body for any error a handler threw; `isInternal` says whether to log it. */
export function toErrorResponse(error: unknown): { status: number; body: ErrorBody; isInternal: boolean } {
  if (error instanceof ApiError) {
    const body: ErrorBody = { error_code: error.errorCode, message: error.message };
    if (error.sweepCode !== undefined) body.sweep_code = error.sweepCode;
    return { status: error.status, body, isInternal: false };
  }
  if (isSweepError(error) && error.code === 'E_STORAGE' && diskFullCode(error.cause) !== undefined) {
    return { status: 507, body: { error_code: 'INTERNAL_ERROR', message: error.message, sweep_code: error.code }, isInternal: true };
  }
  if (isSweepError(error)) {
    const errorCode = isReadOnlyError(error)
      ? 'PERMISSION_DENIED'
      : error.code === 'E_STORAGE' && !isLockedDatabase(error.cause) && error.details?.['unavailable'] !== true
        ? 'INTERNAL_ERROR'
        : SWEEP_TO_MLFLOW[error.code];
    const body: ErrorBody = { error_code: errorCode, message: error.message, sweep_code: error.code };
    if (error.hint !== undefined) body.hint = error.hint;
    return { status: STATUS[errorCode], body, isInternal: errorCode === 'INTERNAL_ERROR' };
  }
  const fastifyStatus = fastifyClientStatus(error);
  if (fastifyStatus !== undefined) {
    const message = (error as Error).message;
    const errorCode: MlflowErrorCode = fastifyStatus === 404 ? 'ENDPOINT_NOT_FOUND' : 'INVALID_PARAMETER_VALUE';
    return { status: fastifyStatus, body: { error_code: errorCode, message }, isInternal: false };
  }
  const full = diskFullCode(error);
  if (full !== undefined) {
    // Not the client's fault and not a bug: the server's disk (or quota) is full, and 507 says so (an
    // upload cut by it is removed, not kept half-written).
    return {
      status: 507,
      body: { error_code: 'INTERNAL_ERROR', message: `the server has no space left to store this (${full}); free some and retry` },
      isInternal: true,
    };
  }
  return {
    status: 500,
    body: { error_code: 'INTERNAL_ERROR', message: 'internal server error (see the server log)' },
    isInternal: true,
  };
}

/**
 * Node's `clientError`: a request it could not parse (bad HTTP, headers too large) or that did not
 * arrive whole in time, answered on the raw socket in MLflow's shape (not Fastify's), then closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message]: [number, string] = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'The request did not arrive whole in time; send it again']
    : error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers are larger than the server accepts']
      : [400, `Malformed HTTP request (${error.code ?? 'unparsable'})`];
  const body = JSON.stringify({ error_code: 'BAD_REQUEST', message } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/** ENOSPC / EDQUOT / SQLITE_FULL on the error or its cause, if the disk or quota is full. */
function diskFullCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return code;
  }
  return undefined;
}

/** A write refused by a store opened read-only (a file the server may not write, or `?mode=ro`). */
export function isReadOnlyError(error: unknown): boolean {
  return isSweepError(error) && error.code === 'E_STORAGE' && error.details?.['readOnly'] === true;
}

// --- internal ---

const STATUS: Record<MlflowErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
};

const SWEEP_TO_MLFLOW: Record<SweepErrorCode, MlflowErrorCode> = {
  E_CONFIG: 'INVALID_PARAMETER_VALUE',
  E_SEARCH_SPACE: 'INVALID_PARAMETER_VALUE',
  E_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  E_DUPLICATE: 'RESOURCE_ALREADY_EXISTS',
  E_INVALID_TRANSITION: 'INVALID_PARAMETER_VALUE',
  E_RUN_FINISHED: 'INVALID_PARAMETER_VALUE',
  E_IMMUTABLE: 'INVALID_PARAMETER_VALUE',
  E_BUDGET: 'INVALID_PARAMETER_VALUE',
  E_STUDY_MISMATCH: 'INVALID_PARAMETER_VALUE',
  E_EXECUTOR: 'INTERNAL_ERROR',
  E_OBJECTIVE_LOAD: 'INTERNAL_ERROR',
  E_ABORTED: 'INTERNAL_ERROR',
  // A locked database, or one that cannot be reached for now, is worth a client retry; other storage
  // faults become INTERNAL_ERROR.
  E_STORAGE: 'TEMPORARILY_UNAVAILABLE',
};

function isLockedDatabase(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

/** Fastify's own request errors (bad JSON, body too large, bad media type) carry a 4xx statusCode. */
function fastifyClientStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  const code = (error as { code?: unknown }).code;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  return status === 415 ? 400 : status;
}

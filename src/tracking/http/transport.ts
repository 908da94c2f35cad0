// HTTP for HttpStore: MLflow-style requests (query string for GET, JSON for POST), a bearer token,
// bounded retries for a server that is busy or not up yet, and MLflow error bodies turned back into
// SweepErrors (the server's `sweep_code` when present, else by MLflow's error_code).
import {
  ConfigError, DuplicateError, ImmutableValueError, NotFoundError, StorageError, SweepError, type SweepErrorCode,
} from '../../errors.js';
import type { Json } from './from-json.js';

export interface TransportOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Extra attempts after a refused connection or a 429/502/503/504 answer; default 3. */
  readonly retries?: number;
  /** Per request; default 30 s. */
  readonly timeoutMs?: number;
}

export class HttpTransport {
  private readonly controller = new AbortController();

  constructor(private readonly base: string, private readonly options: TransportOptions = {}) {}

  /** An RPC under /api/2.0/mlflow. With notFoundIsEmpty, a 404 RESOURCE_DOES_NOT_EXIST resolves `{}`. */
  async mlflow(method: HttpMethod, path: string, fields: Json, opts: { notFoundIsEmpty?: boolean } = {}): Promise<Json> {
    try {
      return await this.request(method, `/api/2.0/mlflow${path}`, fields);
    } catch (error) {
      if (opts.notFoundIsEmpty && error instanceof NotFoundError) return {};
      throw error;
    }
  }

  async sweep(path: string, body: Json): Promise<Json> {
    return this.request('POST', `/api/2.0/sweep${path}`, body);
  }

  /** A sweep RPC that older servers lack: resolves undefined when the server has no such endpoint. */
  async sweepIfServed(path: string, body: Json): Promise<Json | undefined> {
    try {
      return await this.request('POST', `/api/2.0/sweep${path}`, body);
    } catch (error) {
      if (error instanceof MissingEndpointError) return undefined;
      throw error;
    }
  }

  close(): void {
    this.controller.abort();
  }

  // --- internal ---

  private async request(method: HttpMethod, path: string, fields: Json): Promise<Json> {
    const url = method === 'GET' ? `${this.base}${path}${queryString(fields)}` : `${this.base}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') headers['content-type'] = 'application/json';
    if (this.options.token !== undefined) headers['authorization'] = `Bearer ${this.options.token}`;
    const body = method === 'GET' ? undefined : JSON.stringify(fields);
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        const signal = AbortSignal.any([this.controller.signal, AbortSignal.timeout(this.options.timeoutMs ?? 30_000)]);
        response = await fetch(url, { method, headers, body, signal });
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        const isSafe = code === 'ECONNREFUSED' || method === 'GET';
        if (isSafe && attempt < retries && !this.controller.signal.aborted) {
          await sleep(backoffMs(attempt));
          continue;
        }
        throw new StorageError(`cannot reach the tracking server at ${this.base}: ${code ?? (error as Error).message}`, {
          cause: error,
          hint: 'is `sweep server` running there? check --storage / SWEEP_TRACKING_URI',
        });
      }
      if (RETRY_STATUSES.has(response.status) && attempt < retries) {
        await response.body?.cancel();
        await sleep(backoffMs(attempt));
        continue;
      }
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (response.status === 200 && isObject(parsed)) return parsed;
      throw toSweepError(response.status, parsed, `${method} ${path}`);
    }
  }
}

// --- internal ---

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

const BY_SWEEP_CODE: Partial<Record<SweepErrorCode, new (message: string, options?: { hint?: string }) => SweepError>> = {
  E_NOT_FOUND: NotFoundError,
  E_DUPLICATE: DuplicateError,
  E_CONFIG: ConfigError,
  E_IMMUTABLE: ImmutableValueError,
  E_STORAGE: StorageError,
};

const BY_MLFLOW_CODE: Readonly<Record<string, SweepErrorCode>> = {
  RESOURCE_DOES_NOT_EXIST: 'E_NOT_FOUND',
  RESOURCE_ALREADY_EXISTS: 'E_DUPLICATE',
  INVALID_PARAMETER_VALUE: 'E_CONFIG',
  BAD_REQUEST: 'E_CONFIG',
};

function toSweepError(status: number, body: unknown, what: string): SweepError {
  if (!isObject(body) || typeof body['message'] !== 'string') {
    return new StorageError(`tracking server answered ${what} with HTTP ${status} and no MLflow error body`);
  }
  const code = (typeof body['sweep_code'] === 'string' ? body['sweep_code'] : BY_MLFLOW_CODE[String(body['error_code'])]) as SweepErrorCode | undefined;
  const hint = typeof body['hint'] === 'string' ? { hint: body['hint'] } : {};
  if (status === 404 && body['error_code'] === 'ENDPOINT_NOT_FOUND') return new MissingEndpointError(`tracking server: ENDPOINT_NOT_FOUND: ${body['message']}`);
  if (status === 401) return new ConfigError(`tracking server refused the request: ${body['message']}`, { hint: 'pass the server\'s token' });
  const Known = code === undefined ? undefined : BY_SWEEP_CODE[code];
  if (Known) return new Known(body['message'], hint);
  if (code !== undefined) return new SweepError(code, body['message'], hint);
  return new StorageError(`tracking server: ${String(body['error_code'])}: ${body['message']}`);
}

/** The server has no such route (an older sweep server, or not a sweep server at all). */
class MissingEndpointError extends StorageError {}

function queryString(fields: Json): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function backoffMs(attempt: number): number {
  return 100 * 2 ** attempt + Math.floor(Math.random() * 50);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

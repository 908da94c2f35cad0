// Where a run's artifact files go. A location is either a directory (on this machine, or one every
// host mounts) or a tracking server's artifact proxy (sweep's or MLflow's
// `<server>/api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts`), to which each file is
// PUT as a stream, a directory file by file. Runs that keep their artifacts on a proxy record them as
// `mlflow-artifacts:/<experiment>/<run>/artifacts`, the form the server's listing, downloads and
// MLflow clients resolve.
import { cpSync, createReadStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, join, posix, resolve } from 'node:path';
import { ConfigError, StorageError } from '../errors.js';

/** The proxy's path under a server's base URL. */
export const PROXY_ARTIFACTS_PATH = '/api/2.0/mlflow-artifacts/artifacts';
/** The scheme of a location kept on a server's proxy, as runs record it. */
export const PROXY_URI_SCHEME = 'mlflow-artifacts:';

export interface ArtifactSink {
  /** The location written to: a directory, or the proxy URL of the run's artifacts. */
  readonly location: string;
  /** Whether put() writes on this machine before it returns. */
  readonly local: boolean;
  /**
   * Puts the file or directory `source` (its files, recursively) at `artifactPath` under the location.
   * A local sink copies at once and returns undefined (a failed copy throws); a proxy sink uploads and
   * resolves when every file is stored (each retried a few times; it rejects with a StorageError).
   * @throws ConfigError for a path that may not be written or a source that cannot be read
   */
  put(source: string, artifactPath: string, label: string): Promise<void> | undefined;
}

export interface SinkOptions {
  /** Sent as `Authorization: Bearer <token>` to a proxy; default SWEEP_TRACKING_TOKEN or MLFLOW_TRACKING_TOKEN. */
  readonly token?: string;
  /** Extra attempts after a failed upload; default 3. */
  readonly retries?: number;
  /** Wait before the first retry, doubled each time; default 250 ms. */
  readonly backoffMs?: number;
}

/** Whether a location is a server's artifact proxy (http or https), not a directory. */
export function isProxyLocation(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** The sink for a location (see the file's header). */
export function artifactSink(location: string, options: SinkOptions = {}): ArtifactSink {
  return isProxyLocation(location) ? new ProxySink(location, options) : new DirectorySink(location);
}

/**
 * `http://host:5000` (or the proxy URL itself) as the proxy's artifact root,
 * `http://host:5000/api/2.0/mlflow-artifacts/artifacts`. @throws ConfigError for a malformed URL
 */
export function proxyArtifactRoot(url: string, what = 'artifacts'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${what} "${url}": not a valid URL`, { hint: 'give a sweep or MLflow server, as in http://host:5000' });
  }
  if (parsed.search !== '' || parsed.hash !== '') throw new ConfigError(`${what} "${url}": a server URL takes no query or fragment`);
  const base = url.replace(/\/+$/, '');
  return base.endsWith(PROXY_ARTIFACTS_PATH) ? base : `${base}${PROXY_ARTIFACTS_PATH}`;
}

/** A store's artifact root as given: a directory (made absolute) or a server (its proxy's artifact root). */
export function artifactRootOf(given: string, what = 'artifacts'): string {
  return isProxyLocation(given) ? proxyArtifactRoot(given, what) : resolve(given);
}

/** The artifact location of a new experiment under a store's root: `<dir>/<id>`, or `mlflow-artifacts:/<id>` on a proxy. */
export function experimentArtifactLocation(root: string, experimentId: string): string {
  return isProxyLocation(root) ? `${PROXY_URI_SCHEME}/${experimentId}` : join(root, experimentId);
}

/**
 * Where to write a location a run records: `mlflow-artifacts:/<path>` on the proxy at `root` (when
 * the store has one), anything else as it is.
 */
export function writeLocationOf(recorded: string, root: string): string {
  if (!recorded.startsWith(PROXY_URI_SCHEME) || !isProxyLocation(root)) return recorded;
  return `${root}/${recorded.slice(PROXY_URI_SCHEME.length).replace(/^\/+/, '')}`;
}

/**
 * An artifact path as the server keeps it (`a/b/c`): relative, no `..`, no backslash or NUL.
 * @throws ConfigError naming the path
 */
export function checkArtifactPath(path: string, label: string): string {
  const refuse = (why: string): ConfigError =>
    new ConfigError(`${label}: artifactPath must be relative and stay inside the run's artifacts, got ${JSON.stringify(path)} (it ${why})`);
  if (typeof path !== 'string') throw refuse('is not a string');
  if (path.includes('\0')) throw refuse('contains a NUL byte');
  if (path.includes('\\')) throw refuse('contains a backslash');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw refuse('is absolute');
  if (path.split('/').includes('..')) throw refuse('contains ".."');
  const clean = posix.normalize(path).replace(/\/+$/, '');
  if (clean === '.' || clean === '') throw refuse('is empty');
  return clean;
}

/**
 * One request to the proxy at `root` (a listing of its top level), so a study that cannot store its
 * artifacts says so before its first trial. @throws ConfigError naming the URL and what went wrong
 */
export async function checkArtifactProxy(root: string, options: SinkOptions = {}): Promise<void> {
  const token = options.token ?? envToken();
  let answer: { status: number; body: string };
  try {
    answer = await send(new URL(root), 'GET', token, undefined, 10_000);
  } catch (error) {
    throw new ConfigError(`cannot reach the artifact server at ${root}: ${reason(error)}`, {
      hint: 'start `sweep server --artifacts-destination DIR` there, or fix --artifacts / ?artifacts=',
    });
  }
  if (answer.status === 200) return;
  if (answer.status === 401 || answer.status === 403) {
    throw new ConfigError(`the artifact server at ${root} refused the request (HTTP ${answer.status}): ${serverMessage(answer.body)}`, {
      hint: 'set SWEEP_TRACKING_TOKEN to the server\'s token',
    });
  }
  if (answer.status === 404) {
    throw new ConfigError(`the server at ${root} does not serve artifacts (HTTP 404)`, {
      hint: 'use a sweep server, or an MLflow server started with --serve-artifacts',
    });
  }
  throw new ConfigError(`the artifact server at ${root} answered HTTP ${answer.status}: ${serverMessage(answer.body)}`);
}

// --- internal ---

class DirectorySink implements ArtifactSink {
  readonly local = true;

  constructor(readonly location: string) {}

  put(source: string, artifactPath: string, label: string): undefined {
    const destination = join(this.location, ...checkArtifactPath(artifactPath, label).split('/'));
    const existed = existsSync(destination);
    try {
      mkdirSync(dirname(destination), { recursive: true });
      cpSync(source, destination, { recursive: true });
    } catch (error) {
      // A copy cut short (a full disk) must not stay behind as a truncated artifact that reads as whole.
      if (!existed) removeQuietly(destination);
      throw new ConfigError(`${label}: cannot copy ${source} into the run's artifacts: ${(error as Error).message}`, { cause: error });
    }
    return undefined;
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // The copy's own error is the one to report.
  }
}

const UPLOAD_CONCURRENCY = 4;
/** An upload that moves no byte for this long is abandoned (and retried). */
const STALL_MS = 60_000;

class ProxySink implements ArtifactSink {
  readonly local = false;
  private readonly token: string | undefined;

  constructor(readonly location: string, private readonly options: SinkOptions) {
    this.token = options.token ?? envToken();
  }

  put(source: string, artifactPath: string, label: string): Promise<void> {
    const target = checkArtifactPath(artifactPath, label);
    try {
      statSync(source);
    } catch (error) {
      throw new ConfigError(`${label}: cannot read ${source}: ${(error as Error).message}`, { cause: error });
    }
    return this.putTree(source, target, label);
  }

  private async putTree(source: string, target: string, label: string): Promise<void> {
    let files: { path: string; target: string; size: number }[];
    try {
      files = await listFiles(source, target, true);
    } catch (error) {
      throw new ConfigError(`${label}: cannot read ${source}: ${(error as Error).message}`, { cause: error });
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let file = files[next++]; file !== undefined; file = files[next++]) await this.putFile(file.path, file.target, file.size, label);
    };
    await Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, files.length) }, worker));
  }

  private async putFile(path: string, target: string, size: number, label: string): Promise<void> {
    const url = new URL(`${this.location}/${target.split('/').map(encodeURIComponent).join('/')}`);
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let status: number;
      let body = '';
      try {
        ({ status, body } = await send(url, 'PUT', this.token, { path, size }, STALL_MS));
      } catch (error) {
        if (error instanceof LocalReadError) throw new ConfigError(`${label}: cannot read ${path}: ${error.message}`, { cause: error.cause });
        if (attempt < retries) {
          await sleep((this.options.backoffMs ?? 250) * 2 ** attempt);
          continue;
        }
        throw new StorageError(`${label}: cannot upload ${target} to ${this.location}: ${reason(error)} (${attempt + 1} attempts)`, { cause: error });
      }
      if (status === 200) return;
      if (RETRY_STATUSES.has(status) && attempt < retries) {
        await sleep((this.options.backoffMs ?? 250) * 2 ** attempt);
        continue;
      }
      throw new StorageError(`${label}: the artifact server refused ${target} (HTTP ${status}): ${serverMessage(body)}`);
    }
  }
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

class LocalReadError extends Error {}

/**
 * The files under `source` (itself when a file) with their targets under `target`; empty directories
 * have none. Links inside are followed to files only (a link to a directory could loop).
 */
async function listFiles(source: string, target: string, top = false): Promise<{ path: string; target: string; size: number }[]> {
  const link = !top && (await lstat(source)).isSymbolicLink();
  const info = await stat(source).catch((error: unknown) => {
    if (link) return undefined; // a dangling link inside a directory is left out
    throw error;
  });
  if (info === undefined || (link && info.isDirectory())) return [];
  if (!info.isDirectory()) return [{ path: source, target, size: info.size }];
  const out: { path: string; target: string; size: number }[] = [];
  // One push per file: push(...list) of a subdirectory's 125,000+ files would overflow the stack.
  for (const entry of (await readdir(source)).sort()) for (const file of await listFiles(join(source, entry), `${target}/${entry}`)) out.push(file);
  return out;
}

/** One request; a PUT streams the file. Resolves with the status and (the start of) the body. */
function send(url: URL, method: 'GET' | 'PUT', token: string | undefined, file: { path: string; size: number } | undefined, stallMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (file !== undefined) {
      headers['content-type'] = 'application/octet-stream';
      headers['content-length'] = String(file.size);
    }
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers, timeout: stallMs });
    request.on('timeout', () => request.destroy(new Error(`no progress for ${stallMs / 1000} s`)));
    request.on('error', reject);
    request.on('response', (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    if (file === undefined) {
      request.end();
      return;
    }
    const stream = createReadStream(file.path);
    stream.on('error', (error) => {
      const failure = new LocalReadError(error.message, { cause: error });
      reject(failure);
      request.destroy(failure);
    });
    stream.pipe(request);
  });
}

function envToken(): string | undefined {
  const token = process.env['SWEEP_TRACKING_TOKEN'] || process.env['MLFLOW_TRACKING_TOKEN'];
  return token === undefined || token === '' ? undefined : token;
}

function reason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : (error as Error).message;
}

/** The `message` of an MLflow error body, else the body's start. */
function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 200) || '(no message)';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms * (0.75 + Math.random() / 2)));
}

// `sweep models download` of a model whose files a sweep (or MLflow) server keeps behind its artifact
// proxy: the directory listed and each file fetched, as mlflow.artifacts.download_artifacts does.
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { NotFoundError, StorageError } from '../errors.js';

const PROXY_PATH = '/api/2.0/mlflow-artifacts/artifacts';

/** The proxy's base URL when `artifactRoot` is a server (`http://host:5000[/api/2.0/mlflow-artifacts/artifacts]`). */
export function proxyBaseOf(artifactRoot: string): string | undefined {
  if (!/^https?:\/\//i.test(artifactRoot)) return undefined;
  const trimmed = artifactRoot.replace(/\/+$/, '');
  return trimmed.endsWith(PROXY_PATH) ? trimmed : `${trimmed}${PROXY_PATH}`;
}

/**
 * Copies the proxy directory `rel` (`<experiment>/<run>/artifacts/<path>`) into `dst`; returns the
 * number of files. @throws NotFoundError when it holds nothing, StorageError when the server fails
 */
export async function downloadProxied(base: string, rel: string, dst: string, token: string | undefined): Promise<number> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const count = await copyDirectory(base, rel, dst, headers);
  if (count === 0) throw new NotFoundError(`no files at ${base}/${rel}`);
  return count;
}

/**
 * Copies model version `name`/`version`, the directory `path` of run `runId` that the sweep (or MLflow)
 * server at `server` keeps on its own disk, into `dst`: listed with artifacts/list, each file fetched
 * with model-versions/get-artifact. Returns the number of files. @throws NotFoundError, StorageError
 */
export async function downloadServed(
  server: string, model: { name: string; version: number; runId: string; path: string }, dst: string, token: string | undefined,
): Promise<number> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const copy = async (rel: string, into: string): Promise<number> => {
    const listed = [model.path, rel].filter((p) => p !== '').join('/');
    const res = await get(`${server}/api/2.0/mlflow/artifacts/list?run_id=${encodeURIComponent(model.runId)}&path=${encodeURIComponent(listed)}`, headers);
    const { files = [] } = (await res.json()) as { files?: { path: string; is_dir?: boolean }[] };
    mkdirSync(into, { recursive: true });
    let count = 0;
    for (const file of files) {
      const name = plainName(server, listed, file.path);
      const sub = rel === '' ? name : `${rel}/${name}`;
      if (file.is_dir) {
        count += await copy(sub, join(into, name));
        continue;
      }
      const query = `name=${encodeURIComponent(model.name)}&version=${model.version}&path=${encodeURIComponent(sub)}`;
      await save((await get(`${server}/ajax-api/2.0/mlflow/model-versions/get-artifact?${query}`, headers)).body, join(into, name), `${server}: ${sub}`);
      count++;
    }
    return count;
  };
  const count = await copy('', dst);
  if (count === 0) throw new NotFoundError(`${server} has no files for model "${model.name}" version ${model.version} (run ${model.runId}, ${model.path || '/'})`);
  return count;
}

// --- internal ---

/** A listed file's last segment; a listing never places a file outside the destination. */
function plainName(where: string, listed: string, path: string): string {
  const name = path.split('/').pop() ?? '';
  if (name === '' || name === '.' || name === '..' || name.includes('\\')) throw new StorageError(`${where}: the listing of ${listed} names ${JSON.stringify(path)}`);
  return name;
}

async function save(body: Response['body'], file: string, what: string): Promise<void> {
  if (body === null) throw new StorageError(`no body for ${what}`);
  await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), createWriteStream(file));
}

async function copyDirectory(base: string, rel: string, dst: string, headers: Record<string, string>): Promise<number> {
  const res = await get(`${base}?path=${encodeURIComponent(rel)}`, headers);
  const { files = [] } = (await res.json()) as { files?: { path: string; is_dir?: boolean }[] };
  mkdirSync(dst, { recursive: true });
  let count = 0;
  for (const file of files) {
    // Only plain names: a listing never places a file outside dst.
    const name = file.path.split('/').pop() ?? '';
    if (name === '' || name === '.' || name === '..' || name.includes('\\')) throw new StorageError(`${base}: the listing of ${rel} names ${JSON.stringify(file.path)}`);
    if (file.is_dir) {
      count += await copyDirectory(base, `${rel}/${name}`, join(dst, name), headers);
      continue;
    }
    const body = (await get(`${base}/${`${rel}/${name}`.split('/').map(encodeURIComponent).join('/')}`, headers)).body;
    if (body === null) throw new StorageError(`${base}: no body for ${rel}/${name}`);
    await pipeline(Readable.fromWeb(body as WebReadableStream<Uint8Array>), createWriteStream(join(dst, name)));
    count++;
  }
  return count;
}

async function get(url: string, headers: Record<string, string>): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (error) {
    throw new StorageError(`cannot reach ${url}: ${(error as { cause?: { code?: string } }).cause?.code ?? String(error)}`, { cause: error });
  }
  if (res.ok) return res;
  const text = await res.text().catch(() => '');
  let message = text.slice(0, 300);
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // not JSON: the text as it is
  }
  if (res.status === 404) throw new NotFoundError(`${url}: ${message}`);
  throw new StorageError(`${url} answered ${res.status}: ${message}`);
}

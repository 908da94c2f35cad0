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

// --- internal ---

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

// A run's artifact files for the run page: a bounded recursive listing, safe resolution of one file
// for download (confined to the run's artifact directory), and small text previews.
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, sep } from 'node:path';
import { ConfigError, NotFoundError } from '../errors.js';
import type { TrackingStore } from '../tracking/store.js';
import type { JsonObject } from './json.js';

/** Maps a run's artifact URI to a local directory (undefined: not on this machine). */
export type LocateArtifacts = (artifactUri: string) => string | undefined;

/** The default: absolute paths are local directories; other URIs are not readable here. */
export const localArtifacts: LocateArtifacts = (uri) => (isAbsolute(uri) ? uri : undefined);

export interface ArtifactEntry {
  path: string;
  isDir: boolean;
  size: number | null;
}

/** Files and folders under `dir` (symbolic links are not listed), depth-first by name, at most `maxEntries`; missing dir: []. */
export async function listArtifacts(dir: string | undefined, maxEntries = 1000, maxDepth = 6): Promise<{ items: ArtifactEntry[]; truncated: boolean }> {
  const items: ArtifactEntry[] = [];
  let truncated = false;
  const walk = async (rel: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir as string, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (items.length >= maxEntries) {
        truncated = true;
        return;
      }
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        items.push({ path, isDir: true, size: null });
        if (depth < maxDepth) await walk(path, depth + 1);
      } else if (e.isFile()) {
        const info = await stat(join(dir as string, path)).catch(() => undefined);
        items.push({ path, isDir: false, size: info?.size ?? null });
      }
    }
  };
  if (dir !== undefined) await walk('', 0);
  return { items, truncated };
}

export interface ResolvedArtifact {
  /** Absolute path of the file, inside the run's artifact directory (symlinks resolved). */
  file: string;
  size: number;
  contentType: string;
  /** File name for Content-Disposition. */
  name: string;
}

/**
 * Route: `GET /api/ui/artifact?run_id=ID&path=REL[&inline=1]` streams `file` with `contentType`
 * and `Content-Disposition: attachment; filename=name` (inline with `inline=1`, for previews of inert
 * images only: see isInertImage), always with `Content-Security-Policy: sandbox` and `nosniff`.
 * @throws ConfigError for an absolute path, `..`, a backslash or NUL, or a path leading outside the
 *   run's artifacts (symlinks included); NotFoundError for an unknown run or a missing file.
 */
export async function resolveArtifact(store: TrackingStore, runId: string, path: string, locate: LocateArtifacts = localArtifacts): Promise<ResolvedArtifact> {
  const run = await store.getRun(runId);
  const dir = locate(run.info.artifactUri);
  if (path.includes('\0') || path.includes('\\') || isAbsolute(path) || path.split('/').includes('..') || path.trim() === '') {
    throw new ConfigError(`artifact path ${JSON.stringify(path)} must be relative, inside the run's artifacts, without ".."`);
  }
  const missing = (): NotFoundError => new NotFoundError(`run ${runId} has no artifact ${JSON.stringify(path)}`);
  if (dir === undefined) throw missing();
  let root: string;
  let file: string;
  try {
    root = await realpath(dir);
    file = await realpath(join(dir, ...path.split('/')));
  } catch {
    throw missing();
  }
  if (!file.startsWith(root + sep)) throw new ConfigError(`artifact path ${JSON.stringify(path)} leads outside the run's artifacts`);
  const info = await stat(file);
  if (!info.isFile()) throw missing();
  return { file, size: info.size, contentType: contentTypeOf(file), name: file.slice(file.lastIndexOf(sep) + 1) };
}

/**
 * Route: `GET /api/ui/artifact/preview?run_id=ID&path=REL`. Text files (SVG included): the first
 * 64 KiB; inert images: `{kind: 'image'}` (show `/api/ui/artifact?...&inline=1`); anything else
 * `{kind: 'binary'}`.
 * @throws as resolveArtifact
 */
export async function artifactPreview(store: TrackingStore, runId: string, path: string, locate: LocateArtifacts = localArtifacts, maxBytes = 65536): Promise<JsonObject> {
  const found = await resolveArtifact(store, runId, path, locate);
  const base = { path, size: found.size, contentType: found.contentType };
  if (isInertImage(found.contentType)) return { ...base, kind: 'image' };
  if (!isText(found.contentType)) return { ...base, kind: 'binary' };
  const handle = await open(found.file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(maxBytes, found.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { ...base, kind: 'text', text: buffer.subarray(0, bytesRead).toString('utf8'), truncated: found.size > bytesRead };
  } finally {
    await handle.close();
  }
}

/**
 * Raster images a browser only ever draws: the one kind of user file the UI shows inline. SVG is not
 * among them (it can carry script); it previews as text and downloads as an attachment.
 */
export function isInertImage(contentType: string): boolean {
  return INERT_IMAGES.has(contentType);
}

// --- internal ---

const INERT_IMAGES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8', '.log': 'text/plain; charset=utf-8', '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json', '.jsonl': 'application/json', '.yaml': 'text/yaml; charset=utf-8', '.yml': 'text/yaml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8', '.tsv': 'text/tab-separated-values; charset=utf-8', '.py': 'text/x-python; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8', '.js': 'text/plain; charset=utf-8', '.html': 'text/plain; charset=utf-8', '.toml': 'text/plain; charset=utf-8',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.svg': 'image/svg+xml',
};

function contentTypeOf(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

function isText(contentType: string): boolean {
  return contentType.startsWith('text/') || contentType === 'application/json' || contentType === 'image/svg+xml';
}

// Where artifacts live and which paths may be touched: client paths are normalized and confined to the
// artifact root (`..`, absolute paths, encoded traversal and symlinks leading out are refused with 400).
import { constants, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { invalidParameter, notFound } from './errors.js';

export interface FileInfoJson {
  path: string;
  is_dir: boolean;
  file_size?: number;
}

/**
 * The artifact layout. Runs keep the store's artifact URI (`<store root>/<exp>/<run>/artifacts`);
 * clients see it as `mlflow-artifacts:/<exp>/<run>/artifacts`, and the proxy endpoints keep the bytes
 * under `<destination>/<exp>/<run>/artifacts`.
 */
export class ArtifactRepo {
  readonly storeRoot: string;
  readonly destination: string;

  constructor(storeRoot: string, destination: string) {
    this.storeRoot = resolve(storeRoot);
    this.destination = resolve(destination);
  }

  /**
   * The URI clients see for a stored location: proxied when under the store's artifact root, or under
   * the proxy's destination (hosts that wrote into the directory this server was given as
   * --artifacts-destination), which the proxy serves as it is: clients without that directory reach
   * the files through the server.
   */
  present(stored: string): string {
    const rel = this.underStoreRoot(stored);
    if (rel !== undefined) return this.isWrittenInPlace(stored, rel) ? stored : `mlflow-artifacts:/${rel}`;
    const own = relativeUnder(this.destination, stored);
    return own === undefined ? stored : `mlflow-artifacts:/${own}`;
  }

  /** The directory holding a run's artifacts, or undefined when they are not on this machine. */
  runDirectory(artifactUri: string): string | undefined {
    const rel = this.underStoreRoot(artifactUri);
    if (rel !== undefined && this.isWrittenInPlace(artifactUri, rel)) return resolve(artifactUri);
    if (rel !== undefined) return this.proxied(rel);
    if (artifactUri.startsWith('mlflow-artifacts:/')) return join(this.destination, ...safeSegments(artifactUri.slice('mlflow-artifacts:/'.length)));
    return isAbsolute(artifactUri) ? artifactUri : undefined;
  }

  // --- internal ---

  private proxied(rel: string): string {
    return rel === '' ? this.destination : join(this.destination, ...rel.split('/'));
  }

  /**
   * Whether files under the store's root were written there, in place, by a process on this host
   * (`sweep run` without --artifacts) rather than uploaded to a destination of their own
   * (--artifacts-destination elsewhere): then they are served from where they are.
   */
  private isWrittenInPlace(stored: string, rel: string): boolean {
    return this.storeRoot !== this.destination && !existsSync(this.proxied(rel)) && existsSync(resolve(stored));
  }

  private underStoreRoot(stored: string): string | undefined {
    return relativeUnder(this.storeRoot, stored);
  }
}

/** `stored` relative to `root` with `/` separators, when it is an absolute path inside it. */
function relativeUnder(root: string, stored: string): string | undefined {
  if (!isAbsolute(stored)) return undefined;
  const rel = relative(root, resolve(stored));
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/**
 * The segments of a client path, normalized. Refuses absolute paths, `..` segments (also
 * URL-encoded), backslashes, drive letters and NUL bytes.
 */
export function safeSegments(raw: string): string[] {
  const variants = [raw];
  try {
    const decoded = decodeURIComponent(raw);
    if (decoded !== raw) variants.push(decoded);
  } catch {
    // Not %-encoded text (a name like `100%.txt`, which clients send as `100%25.txt`): nothing hides in it.
  }
  for (const p of variants) {
    if (p.includes('\0')) throw unsafe(raw, 'it contains a NUL byte');
    if (p.includes('\\')) throw unsafe(raw, 'it contains a backslash');
    if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) throw unsafe(raw, 'it is absolute');
    if (p.split('/').includes('..')) throw unsafe(raw, 'it contains ".."');
  }
  return raw.split('/').filter((s) => s !== '' && s !== '.');
}

/** `root/<rel>` for reading: must exist and, symlinks resolved, stay inside root. @throws 404, 400 */
export async function resolveExisting(root: string, rel: string): Promise<{ path: string; isDir: boolean; size: number }> {
  const path = join(root, ...safeSegments(rel));
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    throw notFound(`No such artifact: ${rel === '' ? '(root)' : rel}`);
  }
  await assertInside(root, real, rel);
  const info = await stat(real);
  return { path: real, isDir: info.isDirectory(), size: info.size };
}

/**
 * The entry `root/<rel>` names, for deleting it: its parents' symbolic links resolved, its own not (a
 * link is removed, never what it points to), and inside `within` (a run's artifacts) on disk too, so a
 * link cannot carry the delete into another run's files. @throws 404, 400
 */
export async function entryToDelete(root: string, rel: string, within: string): Promise<string> {
  const path = join(root, ...safeSegments(rel));
  try {
    await lstat(path);
  } catch {
    throw notFound(`No such artifact: ${rel === '' ? '(root)' : rel}`);
  }
  const entry = join(await realOrUnsafe(dirname(path), rel), basename(path));
  const scope = join(await realOrUnsafe(dirname(within), rel), basename(within));
  await assertInside(root, scope, rel);
  if (entry !== scope && !entry.startsWith(scope + sep)) throw unsafe(rel, 'it leads outside the artifacts of its run');
  return entry;
}

/** A file being uploaded, beside its target until every byte is in. */
export interface Upload {
  readonly handle: FileHandle;
  /** Renames the finished file over the target: readers and other uploads see one whole file. @throws 400 */
  commit(): Promise<void>;
  /** Removes the unfinished file; the target, if any, is as it was. */
  discard(): Promise<void>;
}

/**
 * Starts an upload to `root/<rel>` (parents created, never through a symlink). The bytes go to a
 * private file in the same directory, so two uploads of one path never mix their bytes, a reader never
 * sees a prefix, and a failed upload leaves the previous file in place. @throws 400
 */
export async function openForWrite(root: string, rel: string): Promise<Upload> {
  const segments = safeSegments(rel);
  if (segments.length === 0) throw invalidParameter('an artifact upload needs a file path');
  const path = join(root, ...segments);
  await mkdir(root, { recursive: true });
  const partial = join(dirname(path), `${PARTIAL_UPLOAD}${randomBytes(8).toString('hex')}`);
  let handle: FileHandle;
  try {
    await assertInside(root, await realOrUnsafe(await deepestExisting(path), rel), rel);
    await mkdir(join(path, '..'), { recursive: true });
    await assertInside(root, await realOrUnsafe(join(path, '..'), rel), rel);
    await refuseNonFile(path, rel);
    handle = await open(partial, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (error) {
    throw pathFault(error, rel);
  }
  return {
    handle,
    commit: async () => {
      try {
        await rename(partial, path);
      } catch (error) {
        // A directory made at this path while the bytes came in.
        if (['EISDIR', 'ENOTEMPTY', 'EEXIST'].includes((error as { code?: string }).code ?? '')) await refuseNonFile(path, rel);
        throw pathFault(error, rel);
      }
    },
    discard: () => rm(partial, { force: true }),
  };
}

/** One level of a directory: names relative to `prefix`, directories without a size. Missing: []. */
export async function listDirectory(root: string, rel: string, prefix: string): Promise<FileInfoJson[]> {
  let found;
  try {
    found = await resolveExisting(root, rel);
  } catch (error) {
    if ((error as { errorCode?: string }).errorCode === 'RESOURCE_DOES_NOT_EXIST') return [];
    throw error;
  }
  if (!found.isDir) return [];
  const entries = await readdir(found.path, { withFileTypes: true });
  const files: FileInfoJson[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(PARTIAL_UPLOAD)) continue; // an upload still coming in
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const full = join(found.path, entry.name);
    let info;
    try {
      info = await stat(full);
      await assertInside(root, await realpath(full), path);
    } catch {
      continue; // dangling links and links leading out are not listed
    }
    files.push(info.isDirectory() ? { path, is_dir: true } : { path, is_dir: false, file_size: info.size });
  }
  return files;
}

/** The client path normalized, as `a/b/c` (for prefixes in listings). */
export function normalizedPath(raw: string | undefined): string {
  return raw === undefined ? '' : safeSegments(raw).join('/');
}

// --- internal ---

/** How an unfinished upload's file is named (hidden from listings). */
const PARTIAL_UPLOAD = '.sweep-upload-';

/** An upload may replace a file, never a directory or a symbolic link. @throws 400 */
async function refuseNonFile(path: string, rel: string): Promise<void> {
  const found = await lstat(path).catch(() => undefined);
  if (found?.isSymbolicLink()) throw unsafe(rel, 'it is a symbolic link');
  if (found?.isDirectory()) throw invalidParameter(`Invalid artifact path ${JSON.stringify(rel)}: it is a directory`);
}

/**
 * The file system's refusals of the client's path as 400s naming it: a name longer than it takes, or a
 * file where the path needs a directory (`a.txt/b.txt` after `a.txt`). Other errors pass unchanged.
 */
function pathFault(error: unknown, rel: string): unknown {
  const code = (error as { code?: unknown }).code;
  const invalid = (why: string): Error => invalidParameter(`Invalid artifact path ${JSON.stringify(rel)}: ${why}`);
  if (code === 'ENAMETOOLONG') return invalid('a name in it is longer than the file system takes (255 bytes a name)');
  if (code === 'ENOTDIR' || code === 'EEXIST') return invalid('a part of it is a file, where the path needs a directory');
  return error;
}

function unsafe(raw: string, why: string): Error {
  return invalidParameter(`Invalid artifact path ${JSON.stringify(raw)}: ${why}; paths must be relative and stay inside the artifact root`);
}

async function assertInside(root: string, realPath: string, rel: string): Promise<void> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch {
    throw notFound(`No such artifact: ${rel}`);
  }
  if (realPath !== realRoot && !realPath.startsWith(realRoot + sep)) throw unsafe(rel, 'it leads outside the artifact root');
}

async function realOrUnsafe(path: string, rel: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    throw unsafe(rel, 'it passes through a dangling symbolic link');
  }
}

async function deepestExisting(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      await lstat(current);
      return current;
    } catch {
      const parent = join(current, '..');
      if (parent === current) return current;
      current = parent;
    }
  }
}

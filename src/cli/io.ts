// What a CLI command may touch: its streams, the environment, and helpers to open stores and studies.
import { existsSync } from 'node:fs';
import { ConfigError, NotFoundError } from '../errors.js';
import { stringFlag } from './flags.js';
import { openStore, resolveStorageUri, sqlitePathOf } from '../tracking/open-store.js';
import type { StudyRecord } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';

export interface CliIO {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

/** Opens the store of a read command; refuses to create an empty database where there was none. */
export function openExistingStore(storage: string | undefined, io: CliIO): TrackingStore {
  const uri = resolveStorageUri(storage, io.env);
  const path = sqlitePathOf(uri);
  if (path !== undefined) {
    if (path !== ':memory:' && !existsSync(path)) {
      throw new NotFoundError(`no sweep database at ${path}`, { hint: 'run a study first (sweep run study.ts), or pass --storage' });
    }
  }
  return openStore(uri);
}

/**
 * Runs a command body on the store named by --storage (or the default), closing it afterwards.
 * Read commands refuse to create a database; `mayCreate` lets commands that write open a new one.
 */
export async function withStore(
  storage: unknown,
  io: CliIO,
  body: (store: TrackingStore) => Promise<number>,
  mayCreate = false,
): Promise<number> {
  const uri = stringFlag('storage', storage);
  const store = mayCreate ? openStore(resolveStorageUri(uri, io.env)) : openExistingStore(uri, io);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** The named study, or the only one in the store. @throws NotFoundError, ConfigError */
export async function pickStudy(store: TrackingStore, name: string | undefined): Promise<StudyRecord> {
  if (name !== undefined) {
    const found = await store.getStudy(name);
    if (found) return found;
    const names = (await store.listStudies()).map((s) => s.study.name);
    throw new NotFoundError(`study "${name}" does not exist in ${store.uri}`, {
      hint: names.length > 0 ? `studies there: ${names.slice(0, 10).join(', ')}` : 'the store holds no study yet',
    });
  }
  const all = await store.listStudies();
  if (all.length === 1 && all[0]) return all[0].study;
  if (all.length === 0) throw new NotFoundError(`${store.uri} holds no study yet`, { hint: 'run one: sweep run study.ts' });
  throw new ConfigError(`${store.uri} holds ${all.length} studies; say which with --study NAME`, {
    hint: `studies: ${all.map((s) => s.study.name).slice(0, 10).join(', ')}`,
  });
}

export { intFlag, numberFlag, stringFlag } from './flags.js';

// The trials of each study as last read, kept per store and synced by the store's cursor: a poll reads
// only the trials that changed (DESIGN §6), so a 5,000-trial study page costs one full read, once.
// What is computed from them (the study page, sorted trial lists) is kept per version the same way.
import type { TrialRecord } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';

interface CachedStudy {
  /** The store's sync cursor (undefined before the first read). */
  cursor: number | undefined;
  /** Highest update sequence seen, or more when a change came with a lower one (-1 before the first read). */
  version: number;
  byNumber: Map<number, TrialRecord>;
  /** Trials by number, rebuilt lazily after a change. */
  sorted: TrialRecord[] | null;
}

const caches = new WeakMap<TrackingStore, Map<number, CachedStudy>>();

export interface TrialSnapshot {
  /** The highest update sequence of any trial (or more, see sync): the page's version for `?since=`. */
  readonly version: number;
  /** Every trial of the study, by number. */
  readonly trials: readonly TrialRecord[];
  /** Whether anything changed since `since` (true when no `since` was given). */
  readonly changedSince: (since: number | undefined) => boolean;
}

const inFlight = new WeakMap<TrackingStore, Map<number, Promise<TrialSnapshot>>>();

/**
 * The study's trials, synced with the store (only changed trials are read after the first call).
 * Concurrent calls for one study share one read (the study page and its table load together).
 */
export function readTrials(store: TrackingStore, studyId: number): Promise<TrialSnapshot> {
  let perStore = inFlight.get(store);
  if (!perStore) inFlight.set(store, (perStore = new Map()));
  const running = perStore.get(studyId);
  if (running) return running;
  const next = sync(store, studyId).finally(() => perStore.delete(studyId));
  perStore.set(studyId, next);
  return next;
}

const MAX_DERIVED_KEYS = 16;
const derivedCaches = new WeakMap<TrackingStore, Map<number, { version: number; values: Map<string, unknown> }>>();

/**
 * `build()` once per study, trial version and key: later calls with the same version get the same
 * value (so it must not be mutated), and the first call with a newer version drops every older value.
 * At most 16 keys are kept per study (the oldest goes first).
 */
export function perVersion<T>(store: TrackingStore, studyId: number, version: number, key: string, build: () => T): T {
  let perStore = derivedCaches.get(store);
  if (!perStore) derivedCaches.set(store, (perStore = new Map()));
  let entry = perStore.get(studyId);
  if (!entry || entry.version !== version) perStore.set(studyId, (entry = { version, values: new Map() }));
  if (entry.values.has(key)) return entry.values.get(key) as T;
  const value = build();
  if (entry.values.size >= MAX_DERIVED_KEYS) entry.values.delete(entry.values.keys().next().value as string);
  entry.values.set(key, value);
  return value;
}

// --- internal ---

async function sync(store: TrackingStore, studyId: number): Promise<TrialSnapshot> {
  let perStore = caches.get(store);
  if (!perStore) caches.set(store, (perStore = new Map()));
  let cached = perStore.get(studyId);
  if (!cached) perStore.set(studyId, (cached = { cursor: undefined, version: -1, byNumber: new Map(), sorted: null }));
  const first = cached.cursor === undefined;
  // A first read of a big study holds the event loop for a while (SQLite reads are synchronous):
  // requests already queued, such as the page's own scripts, go first.
  if (first) await new Promise((resolve) => setImmediate(resolve));
  const { trials: changed, cursor } = await store.syncTrials(studyId, cached.cursor);
  if (cached.cursor === undefined || cursor > cached.cursor) cached.cursor = cursor;
  let top = cached.version;
  let moved = false;
  for (const t of changed) {
    const known = cached.byNumber.get(t.number);
    if (known !== undefined && known.seq >= t.seq) continue; // read again, unchanged
    cached.byNumber.set(t.number, t);
    moved = true;
    if (t.seq > top) top = t.seq;
  }
  // Writers that do not take turns (PostgreSQL) may commit a change with a lower seq than one already
  // seen: the version moves all the same.
  if (moved) cached.version = first || top > cached.version ? top : cached.version + 1;
  if (moved || cached.sorted === null) {
    cached.sorted = [...cached.byNumber.values()].sort((a, b) => a.number - b.number);
  }
  const version = cached.version;
  return {
    version,
    trials: cached.sorted,
    changedSince: (since) => since === undefined || version > since,
  };
}

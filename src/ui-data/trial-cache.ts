// The trials of each study as last read, kept per store and synced by update sequence: a poll reads
// only the trials that changed (DESIGN §6), so a 5,000-trial study page costs one full read, once.
import type { TrialRecord } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';

interface CachedStudy {
  /** Highest update sequence seen (-1 before the first read). */
  seq: number;
  byNumber: Map<number, TrialRecord>;
  /** Trials by number, rebuilt lazily after a change. */
  sorted: TrialRecord[] | null;
}

const caches = new WeakMap<TrackingStore, Map<number, CachedStudy>>();

export interface TrialSnapshot {
  /** The highest update sequence of any trial: the page's version for `?since=`. */
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

// --- internal ---

async function sync(store: TrackingStore, studyId: number): Promise<TrialSnapshot> {
  let perStore = caches.get(store);
  if (!perStore) caches.set(store, (perStore = new Map()));
  let cached = perStore.get(studyId);
  if (!cached) perStore.set(studyId, (cached = { seq: -1, byNumber: new Map(), sorted: null }));
  const changed = cached.seq < 0 ? await store.getTrials(studyId) : await store.getTrials(studyId, cached.seq);
  for (const t of changed) {
    cached.byNumber.set(t.number, t);
    if (t.seq > cached.seq) cached.seq = t.seq;
  }
  if (changed.length > 0 || cached.sorted === null) {
    cached.sorted = [...cached.byNumber.values()].sort((a, b) => a.number - b.number);
  }
  const version = cached.seq;
  return {
    version,
    trials: cached.sorted,
    changedSince: (since) => since === undefined || version > since,
  };
}

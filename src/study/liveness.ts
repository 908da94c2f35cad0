// Liveness of running trials: a trial RUNNING in the store whose process on this machine has exited,
// or that sent no heartbeat for a grace period, is failed as stale, so crashes never leave zombies.
import { hostname } from 'node:os';
import type { TrialRecord } from '../tracking/entities.js';
import type { StudyHistory } from './history.js';
import type { TrackingStore } from '../tracking/store.js';

export interface StaleTrial {
  readonly trial: TrialRecord;
  /** Why it is stale, for the trial's error. */
  readonly why: string;
  /** Compare-and-set: end it only if its heartbeat is still older than this (an owner alive after all keeps it). */
  readonly heartbeatBefore: number;
}

/**
 * The study's RUNNING trials (not those in `runningHere`) that nobody runs any more, at `now` on the
 * store's clock (the clock heartbeats are written with; see storeNow). `aliveAt` maps a trial number
 * to a time its owner was known alive beyond what the history shows (a plain heartbeat does not reach
 * other processes' histories; a failed stale check does: see TrialRunner.failStaleTrials).
 */
export async function findStaleTrials(
  history: StudyHistory, runningHere: ReadonlySet<number>, staleAfterMs: number, now: number,
  aliveAt: ReadonlyMap<number, number> = new Map(),
): Promise<StaleTrial[]> {
  await history.sync();
  const stale: StaleTrial[] = [];
  for (const trial of history.trialsIn(['RUNNING'])) {
    if (runningHere.has(trial.number)) continue;
    const dead = isDeadLocalWorker(trial.workerId);
    const silentSince = Math.max(trial.heartbeat ?? trial.startTime, aliveAt.get(trial.number) ?? 0);
    // Stale once silent for more than staleAfterMs, as the compare-and-set below reads it (heartbeat < now - staleAfterMs).
    if (!dead && now - silentSince <= staleAfterMs) continue;
    const why = dead
      ? `its process (${trial.workerId}) is no longer running`
      : `no heartbeat for ${Math.round((now - silentSince) / 1000)} s (worker ${trial.workerId ?? '?'})`;
    stale.push({ trial, why, heartbeatBefore: dead ? Number.MAX_SAFE_INTEGER : now - staleAfterMs });
  }
  return stale;
}

/** The store's clock: the database's for a store shared by several hosts, else this machine's. */
export async function storeNow(store: TrackingStore): Promise<number> {
  return store.clock ? await store.clock() : Date.now();
}

/** Whether a worker id (`host:pid`) names a process of this machine that has exited. */
function isDeadLocalWorker(workerId: string | null): boolean {
  if (workerId === null) return false;
  const [host, pidText] = workerId.split(/:(?=\d+$)/);
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}


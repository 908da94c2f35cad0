// Liveness of running trials: a trial RUNNING in the store whose process on this machine has exited,
// or that sent no heartbeat for a grace period, is failed as stale, so crashes never leave zombies.
import { hostname } from 'node:os';
import type { TrackingStore } from '../tracking/store.js';
import type { StudyHistory } from './history.js';

/** Fails the study's stale RUNNING trials (not those in `runningHere`); returns their numbers. */
export async function failStaleTrials(
  store: TrackingStore,
  history: StudyHistory,
  runningHere: ReadonlySet<number>,
  staleAfterMs: number,
): Promise<number[]> {
  await history.sync();
  const now = Date.now();
  const failed: number[] = [];
  for (const trial of history.trialsIn(['RUNNING'])) {
    if (runningHere.has(trial.number)) continue;
    const dead = isDeadLocalWorker(trial.workerId);
    const silentSince = trial.heartbeat ?? trial.startTime;
    if (!dead && now - silentSince < staleAfterMs) continue;
    const why = dead
      ? `its process (${trial.workerId}) is no longer running`
      : `no heartbeat for ${Math.round((now - silentSince) / 1000)} s (worker ${trial.workerId ?? '?'})`;
    // Compare-and-set on the heartbeat: an owner that is alive after all keeps its trial.
    const ok = await store.finishTrial(trial.trialId, {
      state: 'FAIL',
      onlyIfHeartbeatBefore: dead ? Number.MAX_SAFE_INTEGER : now - staleAfterMs,
      tags: { 'sweep.error': `Stale: ${why}`, 'sweep.fail_reason': 'stale' },
      systemAttrs: { error: { name: 'Stale', message: why }, failReason: 'stale' },
    });
    if (ok) failed.push(trial.number);
  }
  if (failed.length > 0) await history.sync();
  return failed;
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


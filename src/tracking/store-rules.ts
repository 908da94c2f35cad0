// Rules every store applies the same way: ids, system tags, latest-metric order, outcome checks.
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { InvalidTransitionError } from '../errors.js';
import type { Direction, Experiment, LifecycleStage, Metric, RunInfo, StudyRecord } from './entities.js';
import type { NewRun, TrialFinish } from './store.js';

export const TAG_PARENT = 'mlflow.parentRunId';
export const TAG_RUN_NAME = 'mlflow.runName';
export const TAG_USER = 'mlflow.user';
export const TAG_STUDY = 'sweep.study';
export const TAG_TRIAL = 'sweep.trial';
export const TAG_STATE = 'sweep.state';
export const TAG_ROLE = 'sweep.role';
export const TAG_BEST_TRIAL = 'sweep.best_trial';

/**
 * A run id: 32 hex digits like MLflow's, laid out as a UUIDv7 (48-bit ms timestamp first), so ids
 * sort by creation and new rows land at the end of every index keyed by run id instead of on a
 * random page (a third fewer pages written per trial).
 */
export function newRunId(): string {
  const bytes = randomBytes(16);
  const now = Date.now();
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  return bytes.toString('hex');
}

let user: string | undefined;

export function currentUser(): string {
  if (user === undefined) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return user;
}

/** MLflow's order for the latest value of a metric: step, then timestamp, then value. */
export function isNewer(candidate: Metric, current: Metric | undefined): boolean {
  if (current === undefined) return true;
  if (candidate.step !== current.step) return candidate.step > current.step;
  if (candidate.timestamp !== current.timestamp) return candidate.timestamp > current.timestamp;
  return compareNumbers(candidate.value, current.value) >= 0;
}

/** Whether `value` beats `best` in the study's direction. */
export function isBetter(value: number, best: number | null | undefined, direction: Direction): boolean {
  if (best === null || best === undefined || Number.isNaN(best)) return true;
  return direction === 'minimize' ? value < best : value > best;
}

/**
 * Where a new best goes in the parent run's metric history: at the trial's number, or after the current
 * best's point when that is at a higher step (a better, lower-numbered trial finishing later), so the
 * new best is always the metric's latest point (latest = highest step, then newest timestamp).
 */
export function bestPoint(trialNumber: number, endTime: number, current: { step: number; timestamp: number } | undefined): { step: number; timestamp: number } {
  if (current === undefined) return { step: trialNumber, timestamp: endTime };
  return { step: Math.max(trialNumber, current.step), timestamp: Math.max(endTime, current.timestamp + 1) };
}

/**
 * Whether a finish may become the parent run's best: COMPLETE with a value, and every constraint it
 * carries (systemAttrs.constraints, written by the trial runner) satisfied (<= 0). An infeasible trial is
 * never a study's best, whatever its value.
 */
export function mayBeBest(finish: TrialFinish): finish is TrialFinish & { value: number } {
  if (finish.state !== 'COMPLETE' || finish.value === undefined) return false;
  const constraints = finish.systemAttrs?.['constraints'];
  return !Array.isArray(constraints) || constraints.every((c) => typeof c === 'number' && c <= 0);
}

/**
 * The row key of an experiment id as the stores hand ids out: decimal digits without a sign, spaces or
 * leading zeros. Any other spelling ('01', ' 1', '1.0', '0x1', '1e0') is no experiment, in every store.
 */
export function experimentKey(experimentId: string): number | undefined {
  return /^(0|[1-9]\d{0,14})$/.test(experimentId) ? Number(experimentId) : undefined;
}

/**
 * A new run needs an active experiment (MLflow's rule), checked by each store in the write that
 * creates the run, so a delete of the experiment at the same moment cannot leave an active run in it.
 * @throws InvalidTransitionError
 */
export function checkRunExperiment(experimentId: string, stage: LifecycleStage | undefined): void {
  if (stage !== undefined && stage !== 'active') {
    throw new InvalidTransitionError(`The experiment ${experimentId} must be in the 'active' state. Current state is ${stage}.`);
  }
}

/** The id of the Default experiment, which MLflow clients log to when they name none. */
export const DEFAULT_EXPERIMENT_ID = '0';

/**
 * Refuses to delete the Default experiment: clients that set no experiment log to it, and would fail
 * on a deleted one. (MLflow's file store refuses too; its SQL store allows it.) Restoring it is allowed,
 * so a store where it was deleted before can be repaired.
 * @throws InvalidTransitionError
 */
export function checkLifecycleChange(experiment: Experiment, stage: LifecycleStage): void {
  if (stage === 'deleted' && experiment.experimentId === DEFAULT_EXPERIMENT_ID) {
    throw new InvalidTransitionError(
      `the Default experiment (id ${DEFAULT_EXPERIMENT_ID}) cannot be deleted: clients that name no experiment log to it; delete its runs instead`,
    );
  }
}

/** @throws InvalidTransitionError when a COMPLETE outcome lacks a finite value, or another state carries one. */
export function checkFinish(finish: TrialFinish, trialNumber: number, study?: Pick<StudyRecord, 'directions'>): void {
  if (finish.state === 'COMPLETE') {
    if (typeof finish.value !== 'number' || !Number.isFinite(finish.value)) {
      throw new InvalidTransitionError(
        `trial #${trialNumber} cannot be COMPLETE without a finite value, got ${String(finish.value)}`,
      );
    }
    const objectives = study?.directions.length ?? 1;
    if (finish.values !== undefined || objectives > 1) {
      const values = finish.values;
      if (!Array.isArray(values) || values.length !== objectives || values.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
        throw new InvalidTransitionError(
          `trial #${trialNumber} cannot be COMPLETE without ${objectives} finite values, got ${JSON.stringify(values ?? null)}`,
        );
      }
      if (values[0] !== finish.value) throw new InvalidTransitionError(`trial #${trialNumber}: value must equal values[0]`);
    }
  } else if (finish.value !== undefined || finish.values !== undefined) {
    throw new InvalidTransitionError(`trial #${trialNumber} is ${finish.state} and cannot carry a value`);
  }
}

/** Every objective's metric name: `metrics` for studies with several objectives, else `[metric]`. */
export function studyMetrics(study: Pick<StudyRecord, 'metric' | 'metrics'>): readonly string[] {
  return study.metrics !== undefined && study.metrics.length > 0 ? study.metrics : [study.metric];
}

/**
 * The metrics a COMPLETE finish logs on the trial's run: each objective's value under its metric
 * name at `step`, each timestamp after the last one logged under that name (`lastTimestamp`).
 */
export function objectiveMetricPoints(
  study: Pick<StudyRecord, 'metric' | 'metrics'>,
  finish: TrialFinish,
  step: number,
  endTime: number,
  lastTimestamp: (key: string) => number,
): Metric[] {
  if (finish.value === undefined) return [];
  const values = finish.values ?? [finish.value];
  const names = studyMetrics(study);
  return values.map((value, i) => {
    const key = names[i] as string;
    return { key, value, step, timestamp: Math.max(endTime, lastTimestamp(key) + 1) };
  });
}

/** The step the final objective is logged at: the last reported step, so it is the latest value. */
export function finalStep(intermediate: Readonly<Record<number, number>>): number {
  let last = 0;
  for (const key of Object.keys(intermediate)) last = Math.max(last, Number(key));
  return last;
}

/** A new RUNNING run's info and system tags, the same in every store. */
export function newRunRecord(run: NewRun, experiment: Experiment): { info: RunInfo; tags: Record<string, string> } {
  const runId = newRunId();
  const runName = run.runName ?? run.tags?.[TAG_RUN_NAME] ?? runId.slice(-8); // the random end: the start is the timestamp
  const userId = run.userId ?? currentUser();
  const info: RunInfo = {
    runId,
    experimentId: experiment.experimentId,
    runName,
    status: 'RUNNING',
    startTime: run.startTime ?? Date.now(),
    endTime: null,
    lifecycleStage: 'active',
    artifactUri: join(experiment.artifactLocation, runId, 'artifacts'),
    userId,
    parentRunId: run.parentRunId ?? null,
  };
  const tags: Record<string, string> = {
    ...run.tags,
    [TAG_RUN_NAME]: runName,
    ...(userId !== '' && { [TAG_USER]: userId }),
    ...(run.parentRunId !== undefined && { [TAG_PARENT]: run.parentRunId }),
  };
  return { info, tags };
}

export function trialRunName(studyName: string, trialNumber: number): string {
  return `${studyName}-${trialNumber}`;
}

// --- internal ---

function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

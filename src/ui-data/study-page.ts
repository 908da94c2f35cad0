// The study page's data in one response: summary, trials as columns (history, slices and parallel
// coordinates all read them), param distributions, importance and learning curves.
import { NotFoundError } from '../errors.js';
import { isLogScale, type Distribution } from '../space/distributions.js';
import type { StudyRecord, TrialRecord } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';
import { TRIAL_STATES } from '../tracking/trial-state.js';
import { lttbIndices } from './downsample.js';
import { pedAnovaImportance } from './importance.js';
import { paramDistributions } from './param-distributions.js';
import { finite, type Json, type JsonObject } from './json.js';
import { objectivesBlock } from './pareto.js';
import { isFeasible } from '../study/objectives.js';
import { perVersion, readTrials } from './trial-cache.js';

export interface StudyPageOptions {
  /** The `version` of the previous response: when nothing changed since, only `{changed: false, version}`. */
  since?: number;
  /** Learning curves of at most this many trials (the latest that reported; default 200). */
  maxCurves?: number;
  /** Points per learning curve after LTTB downsampling (default 200). */
  maxCurvePoints?: number;
}

/**
 * Route: `GET /api/ui/study?name=NAME[&since=VERSION][&max_curves=N][&max_curve_points=N]`.
 *
 * `trials` holds one array per field, aligned by index (trial number order): number, state, value,
 * best (best-so-far over feasible COMPLETE trials: the optimization history), durationMs (null while
 * running), and `params[name]`, the value in the sampler's form (a choice's option index; see
 * `params[i].labels`) or null where a trial lacks it. Slice plots are params[name] against value
 * (log axis when `params[i].log`); parallel coordinates are every params column plus value.
 * Poll with `since` = the last `version` (the highest trial update sequence): unchanged studies
 * answer `{changed: false, version}` after reading only changed trials.
 * @throws NotFoundError for an unknown study
 */
export async function studyPage(store: TrackingStore, name: string, opts: StudyPageOptions = {}): Promise<JsonObject> {
  const study = await requireStudy(store, name);
  const snap = await readTrials(store, study.studyId);
  if (!snap.changedSince(opts.since)) return { changed: false, version: snap.version };
  const maxCurves = opts.maxCurves ?? 200;
  const maxCurvePoints = opts.maxCurvePoints ?? 200;
  // Built once per trial version: the page's first visit pays for it, later visits and polls of other
  // tabs reuse it until a trial changes.
  return perVersion(store, study.studyId, snap.version, `page:${maxCurves}:${maxCurvePoints}`,
    () => buildPage(study, snap.version, snap.trials, maxCurves, maxCurvePoints));
}

/** The study named `name`. @throws NotFoundError @internal */
export async function requireStudy(store: TrackingStore, name: string): Promise<StudyRecord> {
  const study = await store.getStudy(name);
  if (!study) throw new NotFoundError(`study "${name}" not found in ${store.uri}`);
  return study;
}

/** How the UI draws a param: its distribution, axis scale, bounds and choice labels. */
export interface ParamMeta {
  name: string;
  kind: Distribution['kind'];
  log: boolean;
  low: number | null;
  high: number | null;
  labels: string[] | null;
}

/** One entry per param name, in order of first appearance (the first distribution seen wins). @internal */
export function paramMeta(trials: readonly TrialRecord[]): ParamMeta[] {
  return [...paramDistributions(trials)].map(([name, d]) => {
    const bounded = 'low' in d && 'high' in d;
    return {
      name,
      kind: d.kind,
      log: isLogScale(d),
      low: bounded ? d.low : null,
      high: bounded ? (d.kind === 'randint' ? d.high - 1 : d.high) : null,
      labels: d.kind === 'choice' ? [...d.labels] : null,
    };
  });
}

// --- internal ---

function buildPage(study: StudyRecord, version: number, trials: readonly TrialRecord[], maxCurves: number, maxCurvePoints: number): JsonObject {
  const direction = study.directions[0] ?? 'minimize';
  const single = study.directions.length <= 1;
  const params = paramMeta(trials);
  const counts = Object.fromEntries(TRIAL_STATES.map((s) => [s, 0])) as Record<string, number>;
  const n = trials.length;
  const number: number[] = new Array(n);
  const state: string[] = new Array(n);
  const value: (number | null)[] = new Array(n);
  const best: (number | null)[] = new Array(n);
  const durationMs: (number | null)[] = new Array(n);
  const columns = params.map(() => new Array<number | null>(n));
  let bestValue: number | null = null;
  let bestTrial: number | null = null;
  let lastActivity = study.createdTime;
  for (let i = 0; i < n; i++) {
    const t = trials[i] as TrialRecord;
    counts[t.state] = (counts[t.state] ?? 0) + 1;
    const v = t.state === 'COMPLETE' ? finite(t.value) : null;
    // The best is feasible (as sweep best and the studies list); several objectives have a front instead.
    if (v !== null && single && isFeasible(t) && (bestValue === null || (direction === 'minimize' ? v < bestValue : v > bestValue))) {
      bestValue = v;
      bestTrial = t.number;
    }
    number[i] = t.number;
    state[i] = t.state;
    value[i] = v;
    best[i] = bestValue;
    durationMs[i] = t.endTime === null ? null : t.endTime - t.startTime;
    for (let j = 0; j < params.length; j++) (columns[j] as (number | null)[])[i] = t.params[(params[j] as ParamMeta).name] ?? null;
    lastActivity = Math.max(lastActivity, t.endTime ?? t.startTime, t.heartbeat ?? 0);
  }
  return {
    changed: true,
    version,
    study: {
      name: study.name,
      experimentId: study.experimentId,
      parentRunId: study.parentRunId,
      direction,
      metric: study.metric,
      sampler: study.sampler.name,
      pruner: study.pruner?.name ?? null,
      seed: study.seed,
      createdTime: study.createdTime,
      isDefineByRun: study.space === null,
    },
    counts,
    bestValue,
    bestTrial,
    lastActivity,
    params: params as unknown as Json[],
    trials: { number, state, value, best, durationMs, params: Object.fromEntries(params.map((p, j) => [p.name, columns[j] as (number | null)[]])) },
    importance: pedAnovaImportance(trials, direction) as unknown as JsonObject,
    objectives: objectivesBlock(study, trials),
    curves: learningCurves(trials, maxCurves, maxCurvePoints),
  };
}

function learningCurves(trials: readonly TrialRecord[], maxCurves: number, maxPoints: number): JsonObject {
  const reporting = trials.filter((t) => Object.keys(t.intermediate).length > 0);
  const shown = reporting.slice(Math.max(0, reporting.length - Math.max(0, maxCurves)));
  const items = shown.map((t) => {
    const steps = Object.keys(t.intermediate).map(Number).sort((a, b) => a - b);
    const values = steps.map((s) => t.intermediate[s] as number);
    const kept = lttbIndices(steps, values, maxPoints);
    return { number: t.number, state: t.state, steps: kept.map((i) => steps[i] as number), values: kept.map((i) => values[i] as number) };
  });
  return { total: reporting.length, items };
}

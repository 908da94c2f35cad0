// Test helper: l(x), the TPE estimator of the good trials, fitted to observations of one parameter `p`.
import { ObservationTable } from '../../samplers/tpe/observations.js';
import { resolveTpeOptions, type TpeUserOptions } from '../../samplers/tpe/options.js';
import type { Mixture } from '../../samplers/tpe/parzen.js';
import { splitTrials } from '../../samplers/tpe/split.js';
import { fitEstimators } from '../../samplers/tpe/suggest.js';
import { createRng } from '../../src/rng.js';
import type { Distribution } from '../../src/space/distributions.js';
import type { StudyView } from '../../src/study/sampler.js';
import type { TrialRecord } from '../../src/tracking/entities.js';

/** l(x) for `p` with distribution d observed at `obs` (in trial order; value = trial number), under `options`. */
export function fitBelow(d: Distribution, obs: readonly number[], options: TpeUserOptions): Mixture {
  const records: TrialRecord[] = obs.map((x, number) => ({
    trialId: number + 1, studyId: 1, number, runId: '', state: 'COMPLETE', value: number, params: { p: x }, distributions: { p: d },
    intermediate: {}, systemAttrs: {}, startTime: 0, endTime: null, heartbeat: null, workerId: null, seq: number + 1,
  }));
  const view: StudyView = { name: 'v', direction: 'minimize', space: undefined, seed: 1, trials: records, version: records.length, trialsIn: () => records };
  const table = new ObservationTable();
  table.sync(view);
  const resolved = resolveTpeOptions(options);
  const n = records.length;
  return fitEstimators({
    table, options: resolved, names: ['p'], distributions: [d], trialNumber: n, rng: createRng(1),
    globalSplit: () => splitTrials(table, resolved, n),
  }).below;
}

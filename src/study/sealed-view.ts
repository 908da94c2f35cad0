// The history as a reproducible parallel run lets samplers and pruners see it: trials numbered from a
// batch's first on (its batch-mates) appear as they were when claimed, whatever they have reported or
// finished since, so what a trial is given and whether it is pruned do not depend on timing.
import type { TrialRecord } from '../tracking/entities.js';
import type { TrialState } from '../tracking/trial-state.js';
import type { StudyView } from './sampler.js';

/**
 * `view` with every trial numbered `from` or more, other than `own`, replaced by its record as claimed
 * (`asClaimed`); read live, so the view follows the history below `from` and `own`'s own reports. Its
 * version counts the batch and the trials in it: equal versions, same sealed history.
 */
export function sealedView(view: StudyView, from: number, own: number | undefined, asClaimed: ReadonlyMap<number, TrialRecord>): StudyView {
  const trials = (): readonly TrialRecord[] => {
    const live = view.trials;
    if (live.length <= from) return live;
    return Object.freeze(live.map((t) => (t.number < from || t.number === own ? t : (asClaimed.get(t.number) ?? t))));
  };
  return Object.freeze({
    name: view.name,
    direction: view.direction,
    ...(view.directions !== undefined && { directions: view.directions }),
    space: view.space,
    seed: view.seed,
    get trials(): readonly TrialRecord[] {
      return trials();
    },
    get version(): number {
      return from * 2 ** 21 + view.trials.length;
    },
    trialsIn: (states: readonly TrialState[]): TrialRecord[] => trials().filter((t) => states.includes(t.state)),
  });
}

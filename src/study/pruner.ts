// The Pruner seam: a pure decision, taken on the main thread after each stored report.
import type { TrialRecord } from '../tracking/entities.js';
import type { StudyView } from './sampler.js';

export interface Pruner {
  readonly name: string;
  /** True for a pruner that never prunes: the study then skips the question (and its writes). */
  readonly neverPrunes?: boolean;
  /** Whether the running trial should stop now, given every trial's stored intermediate values. */
  shouldPrune(study: StudyView, trial: TrialRecord): boolean;
}

/** Never prunes: the default until a pruner is configured. */
export const nopPruner: Pruner = Object.freeze({ name: 'none', neverPrunes: true, shouldPrune: () => false });

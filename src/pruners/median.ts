// MedianPruner: the median stopping rule, i.e. PercentilePruner at the 50th percentile.
import type { Pruner } from '../study/pruner.js';
import { parsePrunerOptions } from './options.js';
import { medianOptionsSchema, PercentilePruner, type MedianOptions } from './percentile.js';

export { medianOptionsSchema, type MedianOptions } from './percentile.js';

/**
 * Prunes a trial whose best reported value so far is worse than the median of the values COMPLETE
 * trials reported at the trial's latest step. Options and defaults as {@link PercentilePruner}
 * (nStartupTrials 5, nWarmupSteps 0, intervalSteps 1, nMinTrials 1).
 * @throws ConfigError from the constructor for invalid options.
 */
export class MedianPruner extends PercentilePruner implements Pruner {
  override readonly name: string = 'median';

  constructor(options: MedianOptions = {}) {
    super({ ...parsePrunerOptions('median', medianOptionsSchema, options), percentile: 50 });
  }
}

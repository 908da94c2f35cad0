// TPESampler: the Sampler seam for TPE. Keeps one incremental history cache per study view, and routes
// relative (joint / group) and independent (univariate) calls to suggestJoint; random until startup.
import { createRng, type Rng } from '../../src/rng.js';
import { sampleFromPrior, type Distribution } from '../../src/space/distributions.js';
import type { Sampler, SamplerContext, StudyView } from '../../src/study/sampler.js';
import { AboveCache } from './above-cache.js';
import { isSingleValued } from './axis.js';
import { ObservationTable } from './observations.js';
import { resolveTpeOptions, type TpeOptions, type TpeUserOptions } from './options.js';
import { SpaceTracker } from './space-tracker.js';
import { splitTrials, type Split } from './split.js';
import { suggestJoint } from './suggest.js';
import { splitMultiObjective } from './split-multi.js';
import { objectiveDirections } from '../../src/study/objectives.js';

interface StudyCache {
  readonly table: ObservationTable;
  readonly tracker: SpaceTracker;
  readonly above: AboveCache;
  split?: { readonly stamp: number; readonly exclude: number; readonly split: Split };
}

export class TPESampler implements Sampler {
  readonly name = 'tpe';
  readonly options: TpeOptions;
  private readonly caches = new WeakMap<StudyView, StudyCache>();

  constructor(options: TpeUserOptions = {}) {
    this.options = resolveTpeOptions(options);
  }

  inferRelativeSpace(ctx: SamplerContext): Readonly<Record<string, Distribution>> {
    if (!this.options.multivariate) return {};
    const cache = this.sync(ctx.study);
    if (cache.table.finished < this.options.startupTrials) return {};
    if (!this.options.group) return cache.tracker.intersectionSpace();
    const out: Record<string, Distribution> = {};
    const declared = ctx.study.space?.params;
    for (const group of cache.tracker.groups()) {
      for (const name of group) {
        const d = declared?.get(name)?.distribution ?? cache.tracker.distributionOf(name);
        if (d !== undefined) out[name] = d;
      }
    }
    return out;
  }

  sampleRelative(ctx: SamplerContext, space: Readonly<Record<string, Distribution>>): Record<string, number> {
    const cache = this.sync(ctx.study);
    if (cache.table.finished < this.options.startupTrials) return {};
    if (!this.options.group) return this.suggest(cache, ctx, Object.keys(space).sort(), space, ctx.rng);
    const out: Record<string, number> = {};
    for (const group of cache.tracker.groups()) {
      const names = group.filter((name) => space[name] !== undefined);
      if (names.length === 0) continue;
      const rng = createRng(ctx.study.seed, ctx.trial.number, this.name, 'group', names.join(','));
      Object.assign(out, this.suggest(cache, ctx, names, space, rng));
    }
    return out;
  }

  sampleIndependent(ctx: SamplerContext, name: string, distribution: Distribution): number {
    const cache = this.sync(ctx.study);
    if (cache.table.finished < this.options.startupTrials || isSingleValued(distribution)) {
      return sampleFromPrior(distribution, ctx.rng);
    }
    return this.suggest(cache, ctx, [name], { [name]: distribution }, ctx.rng)[name] as number;
  }

  // --- internal ---

  private suggest(
    cache: StudyCache,
    ctx: SamplerContext,
    names: readonly string[],
    space: Readonly<Record<string, Distribution>>,
    rng: Rng,
  ): Record<string, number> {
    const exclude = ctx.trial.number;
    const directions = objectiveDirections(ctx.study);
    const several = directions.length > 1;
    const split = (mask?: Uint8Array): Split =>
      several
        ? splitMultiObjective(cache.table, ctx.study.trials, directions, this.options, exclude, mask)
        : splitTrials(cache.table, this.options, exclude, mask);
    return suggestJoint({
      table: cache.table,
      options: this.options,
      names,
      distributions: names.map((name) => space[name] as Distribution),
      trialNumber: exclude,
      rng,
      globalSplit: () => {
        const stamp = cache.table.stamp;
        if (cache.split?.stamp !== stamp || cache.split.exclude !== exclude) {
          cache.split = { stamp, exclude, split: split() };
        }
        return cache.split.split;
      },
      ...(several && { splitMasked: split }),
      aboveCache: cache.above,
    });
  }

  /** The study's cache, brought up to date with the trials that changed since the last call. */
  private sync(study: StudyView): StudyCache {
    let cache = this.caches.get(study);
    if (cache === undefined) {
      cache = { table: new ObservationTable(), tracker: new SpaceTracker(), above: new AboveCache() };
      this.caches.set(study, cache);
    }
    for (const trial of cache.table.sync(study)) cache.tracker.add(trial);
    return cache;
  }
}

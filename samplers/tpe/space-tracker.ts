// What the finished trials say about the search space, kept up to date as trials finish: the
// intersection space (Optuna's multivariate mode) and the group decomposition (parameters that always
// appear together, for conditional spaces). Parameters whose distribution varies are left out of both.
import type { Distribution } from '../../src/space/distributions.js';
import type { TrialRecord } from '../../src/tracking/entities.js';
import { isSingleValued } from './axis.js';
import { keyOf } from './observations.js';

export class SpaceTracker {
  /** name -> distribution key present in every finished trial so far (undefined before the first). */
  private intersection: Map<string, string> | undefined;
  /** The partition of parameters by the set of finished trials holding them. */
  private blocks: string[][] = [];
  private readonly seen = new Map<string, { key: string; distribution: Distribution }>();
  private readonly varying = new Set<string>();
  private cachedGroups: string[][] | undefined;

  /** Records a trial that just became COMPLETE or PRUNED. */
  add(trial: TrialRecord): void {
    const names: string[] = [];
    const keys = new Map<string, string>();
    for (const name of Object.keys(trial.params)) {
      const d = trial.distributions[name];
      if (d === undefined || isSingleValued(d)) continue;
      const key = keyOf(d);
      const earlier = this.seen.get(name);
      if (earlier === undefined) this.seen.set(name, { key, distribution: d });
      else if (earlier.key !== key) this.varying.add(name);
      names.push(name);
      keys.set(name, key);
    }
    if (this.intersection === undefined) {
      this.intersection = keys;
    } else {
      for (const [name, key] of this.intersection) if (keys.get(name) !== key) this.intersection.delete(name);
    }
    this.refine(names);
    this.cachedGroups = undefined;
  }

  /** Parameters held with the same distribution by every finished trial, sorted by name. */
  intersectionSpace(): Record<string, Distribution> {
    const out: Record<string, Distribution> = {};
    if (this.intersection === undefined) return out;
    for (const name of [...this.intersection.keys()].sort()) {
      const d = this.seen.get(name)?.distribution;
      if (d !== undefined && !this.varying.has(name)) out[name] = d;
    }
    return out;
  }

  /** Groups of parameters that always appear together (sorted names, groups sorted by first name). */
  groups(): readonly (readonly string[])[] {
    this.cachedGroups ??= this.blocks
      .map((block) => block.filter((name) => !this.varying.has(name)).sort())
      .filter((block) => block.length > 0)
      .sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
    return this.cachedGroups;
  }

  /** The distribution first seen for a parameter. */
  distributionOf(name: string): Distribution | undefined {
    return this.seen.get(name)?.distribution;
  }

  // --- internal ---

  /** Partition refinement: split every block by membership in S, then add S's new names as a block. */
  private refine(names: readonly string[]): void {
    const inTrial = new Set(names);
    const next: string[][] = [];
    const known = new Set<string>();
    for (const block of this.blocks) {
      const inside = block.filter((name) => inTrial.has(name));
      const outside = block.filter((name) => !inTrial.has(name));
      if (inside.length > 0) next.push(inside);
      if (outside.length > 0) next.push(outside);
      for (const name of block) known.add(name);
    }
    const fresh = names.filter((name) => !known.has(name));
    if (fresh.length > 0) next.push(fresh);
    this.blocks = next;
  }
}

// The distribution of each param name over a list of trials, first seen wins, in order of first
// appearance. Trials read from a store share one distributions object per distinct space, so each
// object is visited once (5,000 trials of one space: one visit, not 5,000).
import type { Distribution } from '../space/distributions.js';
import type { TrialRecord } from '../tracking/entities.js';

export function paramDistributions(trials: readonly TrialRecord[]): Map<string, Distribution> {
  const out = new Map<string, Distribution>();
  const visited = new Set<TrialRecord['distributions']>();
  for (const t of trials) {
    if (visited.has(t.distributions)) continue;
    visited.add(t.distributions);
    for (const [name, d] of Object.entries(t.distributions)) if (!out.has(name)) out.set(name, d);
  }
  return out;
}

// A conditional space: each classifier has its own parameters, which exist only when it is chosen.
// Run: npx sweep run examples/conditional/study.ts --trials 200   then: npx sweep best --study conditional
// Tracked names: clf (the option), clf.0.alpha, clf.1.trees, ... (see `npx sweep trials conditional`).
import { defineStudy, hp } from 'sweep';

export default defineStudy({
  name: 'conditional',
  direction: 'minimize',
  metric: 'error',
  space: {
    clf: hp.choice([
      { kind: 'linear', alpha: hp.loguniform(1e-6, 10), l1_ratio: hp.uniform(0, 1) },
      { kind: 'forest', trees: hp.quniform(10, 500, 10), depth: hp.quniform(2, 30, 1) },
      { kind: 'boost', lr: hp.loguniform(1e-3, 1), rounds: hp.qloguniform(10, 2000, 10) },
    ]),
    scale: hp.choice([true, false]),
  },
  objective: async (trial) => {
    const { clf, scale } = trial.params;
    const penalty = scale ? 0 : 0.01;
    // A synthetic validation error per model family (the best is boost at lr ~ 0.03, ~300 rounds).
    switch (clf.kind) {
      case 'linear':
        return penalty + 0.2 + 0.01 * (Math.log10(clf.alpha) + 3) ** 2 + 0.05 * (clf.l1_ratio - 0.3) ** 2;
      case 'forest':
        return penalty + 0.15 + 0.02 * Math.log2(clf.trees / 200) ** 2 + 0.003 * (clf.depth - 12) ** 2;
      case 'boost':
        return penalty + 0.12 + 0.03 * (Math.log10(clf.lr) + 1.5 + 0.5 * Math.log10(clf.rounds / 300)) ** 2 + 0.01 * Math.log2(clf.rounds / 300) ** 2;
    }
  },
});

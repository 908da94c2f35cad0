// Pruning: each trial "trains" for 30 epochs and reports its validation loss after every epoch;
// Hyperband stops trials whose curves are clearly worse than their peers' at the same epoch.
// Run: npx sweep run examples/pruning/study.ts --trials 60   then: npx sweep trials pruning-curves
// Another pruner from the command line: --pruner median, or --pruner '{"name":"asha","minResource":3}'
import { defineStudy, hp } from 'sweep';

const EPOCHS = 30;

export default defineStudy({
  name: 'pruning-curves',
  direction: 'minimize',
  metric: 'val_loss',
  space: {
    lr: hp.loguniform(1e-4, 1),
    dropout: hp.uniform(0, 0.5),
  },
  pruner: { name: 'hyperband', maxResource: EPOCHS },
  objective: async (trial) => {
    const { lr, dropout } = trial.params;
    // A made-up learning curve: converges to `floor`, faster when lr is near 3e-3.
    const distance = Math.abs(Math.log10(lr) + 2.5);
    const floor = 0.1 + 0.08 * distance ** 2 + 0.2 * (dropout - 0.2) ** 2;
    const tau = 2 + 8 * distance;
    let loss = Infinity;
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      loss = floor + 2 * Math.exp(-epoch / tau);
      trial.report(loss, epoch);
      if (await trial.shouldPrune()) return trial.pruned();
    }
    return loss;
  },
});

// Define-by-run: no declared space; the objective asks for parameters as it goes, so the number of
// layers decides which per-layer parameters exist. Each epoch's loss is reported as metric history.
// Run: npx sweep run examples/define-by-run/study.ts --trials 50   then: npx sweep trials define-by-run
import { defineStudy, hp } from 'sweep';

export default defineStudy({
  name: 'define-by-run',
  direction: 'minimize',
  metric: 'val_loss',
  objective: async (trial) => {
    const layers = trial.suggest('layers', hp.randint(1, 4));
    let capacity = 0;
    for (let i = 0; i < layers; i++) capacity += Math.log2(trial.suggest(`units_${i}`, hp.qloguniform(16, 512, 16)));
    const lr = trial.suggest('lr', hp.loguniform(1e-4, 1e-1));
    const target = 20; // the capacity that fits the data best
    let loss = 1;
    for (let epoch = 0; epoch < 10; epoch++) {
      loss = 0.1 + Math.abs(capacity - target) / 40 + Math.abs(Math.log10(lr) + 2.5) / 5 + 0.5 * Math.exp(-(epoch + 1) * lr * 20);
      trial.report(loss, epoch);
    }
    trial.log('capacity', capacity);
    return loss;
  },
});

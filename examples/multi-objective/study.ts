// Two objectives at once: a model's error (minimize) against its latency (minimize), with a
// constraint (the model must fit in 16 MB). The answer is a Pareto front, not one best trial.
// Run: npx sweep run examples/multi-objective/study.ts --trials 100   then: npx sweep best
//      npx sweep runs search --filter "metrics.error < 0.1 and metrics.latency_ms < 20"
import { defineStudy, hp } from 'sweep';

export default defineStudy({
  name: 'multi-objective',
  directions: ['minimize', 'minimize'],
  metrics: ['error', 'latency_ms'],
  space: {
    layers: hp.quniform(1, 12, 1),
    width: hp.qloguniform(16, 1024, 16),
    dropout: hp.uniform(0, 0.5),
  },
  objective: async (trial) => {
    const { layers, width, dropout } = trial.params;
    const capacity = Math.log2(layers * width);
    const error = 0.05 + 0.6 / capacity + 0.2 * (dropout - 0.2) ** 2;
    const latencyMs = 2 + (layers * width) / 200;
    trial.log('size_mb', (layers * width * width * 4) / 1e6);
    return { error, latency_ms: latencyMs };
  },
  // Each value must be <= 0: the model's size in MB at most 16.
  constraints: (trial) => [(trial.metrics['size_mb'] ?? 0) - 16],
});

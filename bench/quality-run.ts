// One quality run: a fresh in-memory study of one suite function with one sampler and seed; returns the
// regret at each budget: the noiseless value of the trial with the best observed value so far minus the
// known minimum (noisy functions add seeded Gaussian noise to what the sampler sees; noiseless ones are
// simply best value minus the known minimum).
import { createStudy } from '../src/index.js';
import { createRng } from '../src/rng.js';
import { SUITE } from './suite.js';

export interface RunTask {
  readonly fn: string;
  readonly label: string;
  readonly sampler: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly trials: number;
  readonly budgets: readonly number[];
}

export async function runOne(task: RunTask): Promise<number[]> {
  const fn = SUITE[task.fn];
  if (!fn) throw new Error(`unknown function ${task.fn}`);
  const noise = createRng(task.seed, 'bench-noise', task.fn);
  const clean = new Map<number, number>();
  const study = await createStudy({
    name: `${task.fn}-${task.label}-${task.seed}`,
    direction: 'minimize',
    space: fn.space,
    sampler: { ...(task.sampler as { name: string }), seed: task.seed },
    storage: 'memory:',
  });
  await study.optimize((trial) => {
    const f = fn.objective(trial.params as Record<string, unknown>);
    clean.set(trial.number, f);
    return fn.noise > 0 ? f + fn.noise * noise.normal() : f;
  }, { trials: task.trials });
  const trials = study.trials.sort((a, b) => a.number - b.number);
  await study.close();
  return task.budgets.map((b) => {
    let best = Number.POSITIVE_INFINITY;
    let bestClean = Number.POSITIVE_INFINITY;
    for (const t of trials.slice(0, b)) {
      const v = t.value ?? Number.POSITIVE_INFINITY;
      if (v < best) {
        best = v;
        bestClean = clean.get(t.number) ?? Number.POSITIVE_INFINITY;
      }
    }
    return bestClean - fn.knownMin;
  });
}

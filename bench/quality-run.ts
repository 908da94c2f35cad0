// One quality run: a fresh in-memory study of one public function with one sampler and seed; returns the
// regret (best so far minus the known minimum) at each budget.
import { createStudy } from '../src/index.js';
import { FUNCTIONS } from './functions.js';

export interface RunTask {
  readonly fn: string;
  readonly label: string;
  readonly sampler: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly trials: number;
  readonly budgets: readonly number[];
}

export async function runOne(task: RunTask): Promise<number[]> {
  const fn = FUNCTIONS[task.fn];
  if (!fn) throw new Error(`unknown function ${task.fn}`);
  const study = await createStudy({
    name: `${task.fn}-${task.label}-${task.seed}`,
    direction: 'minimize',
    space: fn.space,
    sampler: { ...(task.sampler as { name: string }), seed: task.seed },
    storage: 'memory:',
  });
  await study.optimize((trial) => fn.objective(trial.params as Record<string, unknown>), { trials: task.trials });
  const values = study.trials.sort((a, b) => a.number - b.number).map((t) => t.value ?? Number.POSITIVE_INFINITY);
  await study.close();
  return task.budgets.map((b) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < Math.min(b, values.length); i++) best = Math.min(best, values[i] as number);
    return best - fn.knownMin;
  });
}

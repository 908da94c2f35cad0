// Pruning benchmark (issue 7): synthetic learning curves over a 4-parameter space; for each pruner
// (none, median, ASHA, Hyperband) with the TPE sampler, 10 seeds x 100 trials: total epochs consumed
// and the median best final loss.
//
// Curves (t = epoch 0..49, noise ~ N(0, 0.01) seeded by (seed, trial, epoch)):
//   final(p) = 0.1 + 0.075 (log10 lr + 2.5)^2 + 0.05 ((width - 128) / 128)^2 + 0.2 (dropout - 0.2)^2 + 0.05 [opt = sgd]
//   start(p) = 2.5 + 0.5 dropout
//   tau(p)   = 3 + 30 |log10 lr + 2.5| / 3.5           (badly set learning rates also learn slowly)
//   loss(t)  = final + (start - final) exp(-t / tau) + noise
// The objective reports loss(t) every epoch and returns loss(49) unless pruned.
// Run: npm run bench:pruning [-- --seeds 10 --trials 100]
import { cpus } from 'node:os';
import { createStudy } from '../src/app/create-study.js';
import { createRng } from '../src/rng.js';
import { hp } from '../src/space/hp.js';
import type { PrunerSpec } from '../src/pruners/index.js';
import { numberFlag } from './flags.js';

const seeds = numberFlag('seeds', 10);
const trials = numberFlag('trials', 100);
const EPOCHS = 50;

const space = {
  lr: hp.loguniform(1e-4, 1),
  width: hp.quniform(16, 256, 16),
  dropout: hp.uniform(0, 0.5),
  opt: hp.choice(['adam', 'sgd']),
};

function curve(p: { lr: number; width: number; dropout: number; opt: string }, seed: number, trial: number) {
  const u = Math.log10(p.lr) + 2.5;
  const final = 0.1 + 0.075 * u * u + 0.05 * ((p.width - 128) / 128) ** 2 + 0.2 * (p.dropout - 0.2) ** 2 + (p.opt === 'sgd' ? 0.05 : 0);
  const start = 2.5 + 0.5 * p.dropout;
  const tau = 3 + (30 * Math.abs(u)) / 3.5;
  const rng = createRng(seed, 'curve', trial);
  return (t: number): number => final + (start - final) * Math.exp(-t / tau) + 0.01 * rng.normal();
}

const PRUNERS: [string, PrunerSpec][] = [
  ['none', 'none'],
  ['median', 'median'],
  ['asha', { name: 'asha' }],
  ['hyperband', { name: 'hyperband', maxResource: EPOCHS }],
  // The same with the first rung at epoch 5 (rungs 5, 15, 45): the first epochs of these curves say
  // little about the final loss, which the default 'auto' minResource (1) cannot know.
  ['asha, minResource 5, rf 3', { name: 'asha', minResource: 5, reductionFactor: 3 }],
  ['hyperband, minResource 5, rf 3', { name: 'hyperband', minResource: 5, maxResource: EPOCHS, reductionFactor: 3 }],
];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const rows: string[] = [];
const results: Record<string, { epochs: number[]; best: number[] }> = {};
for (const [label, pruner] of PRUNERS) {
  const epochs: number[] = [];
  const best: number[] = [];
  const start = performance.now();
  for (let seed = 0; seed < seeds; seed++) {
    const study = await createStudy({ name: `pruner-${PRUNERS.findIndex(([l]) => l === label)}-${seed}`, space, sampler: { name: 'tpe', seed }, pruner, storage: 'memory:' });
    let used = 0;
    await study.optimize(
      async (trial) => {
        const loss = curve(trial.params, seed, trial.number);
        let value = Infinity;
        for (let t = 0; t < EPOCHS; t++) {
          value = loss(t);
          used++;
          trial.report(value, t);
          if (await trial.shouldPrune()) return trial.pruned();
        }
        return value;
      },
      { trials },
    );
    epochs.push(used);
    best.push(study.bestTrial?.value ?? Infinity);
    await study.close();
  }
  results[label] = { epochs, best };
  process.stderr.write(`${label}: ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
}

const base = results['none'];
for (const [label] of PRUNERS) {
  const r = results[label];
  if (!r || !base) continue;
  const epochShare = median(r.epochs) / median(base.epochs);
  const lossRatio = median(r.best) / median(base.best);
  rows.push(`| ${label} | ${median(r.epochs)} | ${(epochShare * 100).toFixed(0)}% | ${median(r.best).toFixed(4)} | ${((lossRatio - 1) * 100).toFixed(1)}% |`);
}
process.stdout.write(
  [
    `### Pruning (${new Date().toISOString().slice(0, 10)})`,
    '',
    `Command: \`npm run bench:pruning -- --seeds ${seeds} --trials ${trials}\`. Machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, node ${process.version}. TPE sampler, in-memory store; curves and formulas in bench/pruning.ts.`,
    '',
    '| pruner | median epochs used | vs none | median best final loss | vs none |',
    '|---|---:|---:|---:|---:|',
    ...rows,
    '',
  ].join('\n'),
);

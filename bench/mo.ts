// npm run bench:mo: median hypervolume after 100, 200 and 300 trials of ZDT1, ZDT2 and DTLZ2 (10 seeds
// each) for random, nsga2 and multi-objective TPE, next to Optuna 3.1's figures measured on this
// machine (../shared/bench/optuna-3.1-mo.json, or SWEEP_REFERENCE_DIR); plus the cost of one
// suggestion at 1,000 trials. Flags: --seeds N, --trials N, --samplers a,b, --problems a,b,
// --no-cost (quality only), --cost-only.
import { existsSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createStudy } from '../src/index.js';
import { hypervolume } from '../src/study/pareto/hypervolume.js';
import { referenceDir } from './functions.js';
import { checkMoAgainstReference, MO_PROBLEMS, moSpace, moVector, type MoProblem } from './mo-functions.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? (args[i + 1] as string) : fallback;
};
const SEEDS = Number(flag('seeds', '10'));
const TRIALS = Number(flag('trials', '300'));
const BUDGETS = [100, 200, 300].filter((b) => b <= TRIALS);
const SAMPLERS: Record<string, Record<string, unknown>> = {
  random: { name: 'random' },
  nsga2: { name: 'nsga2' },
  tpe: { name: 'tpe' },
};
const samplerNames = flag('samplers', Object.keys(SAMPLERS).join(',')).split(',');
const problemNames = flag('problems', Object.keys(MO_PROBLEMS).join(',')).split(',');

async function runOne(problem: MoProblem, sampler: Record<string, unknown>, seed: number): Promise<{ hv: number[]; ms: number }> {
  const study = await createStudy({
    name: `${problem.name}-${String(sampler['name'])}-${seed}`,
    directions: Array.from({ length: problem.objectives }, () => 'minimize' as const),
    space: moSpace(problem),
    sampler: { ...(sampler as { name: string }), seed },
    storage: 'memory:',
  });
  const cpu0 = process.cpuUsage();
  await study.optimize((t) => problem.fn(moVector(t.params as Record<string, unknown>, problem.dims)), { trials: TRIALS });
  const used = process.cpuUsage(cpu0);
  const ms = (used.user + used.system) / 1000;
  const points = study.trials.sort((a, b) => a.number - b.number).map((t) => t.values as number[]);
  await study.close();
  return { hv: BUDGETS.map((b) => hypervolume(points.slice(0, b), problem.reference)), ms };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function suggestionCost(sampler: Record<string, unknown>, problem: MoProblem): Promise<{ wall: number; cpu: number }> {
  // ms per trial between trial 1,000 and 1,100 (the whole trial: ask, objective, tell, in memory).
  const directions = Array.from({ length: problem.objectives }, () => 'minimize' as const);
  const study = await createStudy({ name: `cost-${String(sampler['name'])}`, directions, space: moSpace(problem), sampler: { ...(sampler as { name: string }), seed: 1 }, storage: 'memory:' });
  const objective = (t: { params: unknown }): number[] => problem.fn(moVector(t.params as Record<string, unknown>, problem.dims));
  await study.optimize(objective, { trials: 1000 });
  // CPU time too: on a machine shared with other work, wall time mostly measures the others.
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await study.optimize(objective, { trials: 100 });
  const wall = (performance.now() - start) / 100;
  const used = process.cpuUsage(cpu0);
  await study.close();
  return { wall, cpu: (used.user + used.system) / 1000 / 100 };
}

async function main(): Promise<void> {
  const check = await checkMoAgainstReference([[0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [0.1, 0.9, 0.3, 0.7, 0.2, 0.4]]);
  console.log(check === undefined ? 'reference problems: absent (not checked)' : `reference problems: largest difference ${check.toExponential(2)}`);
  const optunaFile = `${referenceDir()}/optuna-3.1-mo.json`;
  const optuna = existsSync(optunaFile) ? (JSON.parse(readFileSync(optunaFile, 'utf8')) as { problems: Record<string, Record<string, Record<string, number> | null>> }) : undefined;
  if (args.includes('--cost-only')) problemNames.length = 0;
  else console.log(`${SEEDS} seeds x ${TRIALS} trials; median hypervolume at ${BUDGETS.join(' / ')} trials\n`);
  if (problemNames.length > 0) {
    console.log('| problem | sampler | ' + BUDGETS.map((b) => `HV@${b}`).join(' | ') + ' | CPU s/study | Optuna 3.1 ' + BUDGETS.map((b) => `@${b}`).join(' / ') + ' |');
    console.log('|---|---|' + BUDGETS.map(() => '---:').join('|') + '|---:|---|');
  }
  for (const pname of problemNames) {
    const problem = MO_PROBLEMS[pname];
    if (!problem) throw new Error(`unknown problem ${pname}`);
    for (const sname of samplerNames) {
      const sampler = SAMPLERS[sname];
      if (!sampler) throw new Error(`unknown sampler ${sname}`);
      const runs: { hv: number[]; ms: number }[] = [];
      for (let seed = 0; seed < SEEDS; seed++) runs.push(await runOne(problem, sampler, seed));
      const med = BUDGETS.map((_, i) => median(runs.map((r) => r.hv[i] as number)));
      const secs = median(runs.map((r) => r.ms)) / 1000;
      const theirs = optuna?.problems[pname]?.[sname];
      const ref = theirs ? BUDGETS.map((b) => (theirs[String(b)] ?? Number.NaN).toFixed(3)).join(' / ') : 'n/a';
      console.log(`| ${pname} | ${sname} | ${med.map((v) => v.toFixed(3)).join(' | ')} | ${secs.toFixed(2)} | ${ref} |`);
    }
  }
  if (!args.includes('--no-cost')) {
    console.log('\nms per trial (ask, objective, tell; in memory) between trials 1,000 and 1,100, wall and CPU:');
    for (const pname of ['zdt1', 'dtlz2']) {
      for (const sname of samplerNames) {
        const ms = await suggestionCost(SAMPLERS[sname] as Record<string, unknown>, MO_PROBLEMS[pname] as MoProblem);
        console.log(`  ${pname} ${sname}: ${ms.wall.toFixed(2)} ms wall, ${ms.cpu.toFixed(2)} ms CPU`);
      }
    }
  }
}

await main();

// `sweep run <study-file>`: load the study, create or resume it, optimize, print progress and a summary.
import { createStudy } from '../../app/create-study.js';
import { loadStudyFile } from '../../app/load-study-file.js';
import type { SamplerSpec } from '../../app/define.js';
import { resolveStorageUri } from '../../tracking/open-store.js';
import { formatDuration, formatParam, formatValue } from '../format.js';
import { intFlag, numberFlag, stringFlag, type CliIO } from '../io.js';
import { createProgress } from '../progress.js';

export interface RunFlags {
  readonly trials?: unknown;
  readonly timeout?: unknown;
  readonly sampler?: unknown;
  readonly seed?: unknown;
  readonly study?: unknown;
  readonly storage?: unknown;
}

const DEFAULT_TRIALS = 100;

export async function runCommand(file: string, flags: RunFlags, io: CliIO): Promise<number> {
  const trialsFlag = intFlag('trials', flags.trials, 0);
  const timeoutSec = numberFlag('timeout', flags.timeout, 0);
  const seed = intFlag('seed', flags.seed, 0);
  const samplerName = stringFlag('sampler', flags.sampler);
  const studyName = stringFlag('study', flags.study);
  const storage = resolveStorageUri(stringFlag('storage', flags.storage), io.env);

  const definition = await loadStudyFile(file);
  const sampler: SamplerSpec | undefined =
    samplerName === undefined
      ? definition.sampler
      : typeof definition.sampler === 'object' && definition.sampler.name === samplerName
        ? definition.sampler
        : samplerName;
  const study = await createStudy({
    ...definition,
    name: studyName ?? definition.name,
    storage,
    ...(seed !== undefined && { seed }),
    ...(sampler !== undefined && { sampler }),
  });
  const trials = trialsFlag ?? (timeoutSec === undefined ? (definition.trials ?? DEFAULT_TRIALS) : undefined);
  await study.sync();
  const earlier = study.history.trials.length;
  io.stderr.write(
    `${earlier > 0 ? 'Resuming' : 'Starting'} study "${study.name}" (${study.direction} ${study.metric}, ${study.sampler.name} sampler, seed ${study.seed}) in ${storage}` +
      `${earlier > 0 ? ` with ${earlier} earlier trials` : ''}\n`,
  );

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write('\nInterrupted: the running trial ends as FAIL (interrupted); press Ctrl-C again to exit at once.\n');
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress = createProgress(io.stderr, trials);
  try {
    const result = await study.optimize(definition.objective, {
      ...(trials !== undefined && { trials }),
      ...(timeoutSec !== undefined && { timeoutMs: timeoutSec * 1000 }),
      signal: controller.signal,
      onTrialEnd: (trial, p) => progress.trialEnded(trial, p, study.bestTrial),
    });
    progress.finish();
    const ran = result.completed + result.pruned + result.failed;
    const parts = [`${result.completed} complete`, ...(result.pruned ? [`${result.pruned} pruned`] : []), `${result.failed} failed`];
    const why = result.stoppedBy === 'exhausted' ? ' (the grid is exhausted)' : result.stoppedBy === 'timeout' ? ' (timeout)' : result.stoppedBy === 'signal' ? ' (interrupted)' : '';
    io.stdout.write(`Ran ${ran} trials (${parts.join(', ')}) in ${formatDuration(result.elapsedMs)}${why}; the study now has ${study.history.trials.length}.\n`);
    const best = study.bestTrial;
    if (best) {
      io.stdout.write(`Best ${study.metric}: ${formatValue(best.value)} (trial #${best.number}, run ${best.runId})\n`);
      for (const [name, value] of Object.entries(best.params)) io.stdout.write(`  ${name} = ${formatParam(value)}\n`);
    } else {
      io.stdout.write('No trial has completed yet.\n');
    }
    return result.stoppedBy === 'signal' ? 130 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await study.close();
  }
}

// `sweep run [study-file]`: load the study (or a --command with a --space), create or resume it,
// optimize on the chosen executor, print progress and a summary. First Ctrl-C: start no more trials
// and let running ones finish; second: stop them (FAIL, interrupted); third: exit at once.
import { basename, extname, resolve } from 'node:path';
import { createStudy } from '../../app/create-study.js';
import { DEFAULT_TRIALS, poolWidth, startRunWorkers, workerLoops } from './run-workers.js';
import { isLoopExecutor } from '../../study/loop-executor.js';
import { recordStudyOrigin } from '../../app/study-origin.js';
import type { DefinedStudy, SamplerSpec } from '../../study-file/define.js';
import { createExecutor, resolveExecutorName, type ExecutorName } from '../../app/executors.js';
import { loadSpaceFile } from '../../study-file/load-space-file.js';
import { loadStudyFile } from '../../study-file/load-study-file.js';
import { ConfigError, SearchSpaceError } from '../../errors.js';
import { splitCommand } from '../../execution/command-template.js';
import type { Executor, ObjectiveSource } from '../../study/executor.js';
import type { PrunerSpec } from '../../pruners/index.js';
import { resolveStorageUri } from '../../tracking/open-store.js';
import { checkArtifactLocation } from '../../app/artifact-location.js';
import { formatDuration, formatParam, formatValue } from '../format.js';
import { intFlag, numberFlag, stringFlag, type CliIO } from '../io.js';
import { jobsFlag, timerSecondsFlag } from '../flags.js';
import { createProgress } from '../progress.js';

export interface RunFlags {
  readonly trials?: unknown;
  readonly maxTrials?: unknown;
  readonly timeout?: unknown;
  readonly maxFailures?: unknown;
  readonly retryFailed?: unknown;
  readonly sampler?: unknown;
  readonly pruner?: unknown;
  readonly seed?: unknown;
  readonly study?: unknown;
  readonly storage?: unknown;
  readonly jobs?: unknown;
  readonly executor?: unknown;
  readonly reproducible?: unknown;
  readonly trialTimeout?: unknown;
  readonly heartbeatInterval?: unknown;
  readonly staleAfter?: unknown;
  readonly maxOldSpace?: unknown;
  readonly command?: unknown;
  readonly space?: unknown;
  readonly artifacts?: unknown;
}


/**
 * `workers`: the threads executor startRunWorkers started for these flags (main.ts starts it before it
 * loads this module); closed here whatever happens.
 */
export async function runCommand(file: string | undefined, flags: RunFlags, io: CliIO, workers = startRunWorkers(file, flags)): Promise<number> {
  try {
    return await runWith(file, flags, io, workers);
  } finally {
    await (await workers)?.close();
  }
}

async function runWith(file: string | undefined, flags: RunFlags, io: CliIO, workers: Promise<Executor | undefined>): Promise<number> {
  const trialsFlag = intFlag('trials', flags.trials, 0);
  const maxTrials = intFlag('max-trials', flags.maxTrials, 0);
  const timeoutSec = numberFlag('timeout', flags.timeout, 0);
  const maxFailures = intFlag('max-failures', flags.maxFailures, 1);
  const retryFailed = intFlag('retry-failed', flags.retryFailed, 0);
  const seed = intFlag('seed', flags.seed, 0);
  const jobs = jobsFlag(flags.jobs);
  const trialTimeoutSec = timerSecondsFlag('trial-timeout', flags.trialTimeout, 0);
  const heartbeatSec = timerSecondsFlag('heartbeat-interval', flags.heartbeatInterval, 0.01);
  const staleAfterSec = numberFlag('stale-after', flags.staleAfter, 0.01);
  if (heartbeatSec !== undefined && staleAfterSec !== undefined && staleAfterSec <= heartbeatSec) {
    throw new ConfigError(`--stale-after ${staleAfterSec} must be longer than --heartbeat-interval ${heartbeatSec}`, {
      hint: 'a few heartbeats should fit in the grace period, e.g. --heartbeat-interval 5 --stale-after 60',
    });
  }
  const maxOldSpaceMb = intFlag('max-old-space', flags.maxOldSpace, 16);
  const samplerFlag = parseSpecFlag<SamplerSpec>('sampler', stringFlag('sampler', flags.sampler), '{"name": "tpe", "gamma": 0.2}');
  const pruner = parseSpecFlag<PrunerSpec>('pruner', stringFlag('pruner', flags.pruner), '{"name": "asha", "reductionFactor": 3}');
  const studyName = stringFlag('study', flags.study);
  const commandLine = stringFlag('command', flags.command);
  const spaceFile = stringFlag('space', flags.space);
  const storage = resolveStorageUri(stringFlag('storage', flags.storage), io.env);
  const artifacts = stringFlag('artifacts', flags.artifacts);

  // Worker threads load the study file themselves, and were started first (startRunWorkers) so that
  // they load it while this thread does; the pool is dropped if the file turns out to run a command.
  const explicitExecutor = stringFlag('executor', flags.executor) as ExecutorName | undefined;
  const earlyThreads = await workers;
  const definition = await loadDefinition(file, commandLine, spaceFile, studyName);
  const command = commandLine !== undefined ? splitCommand(commandLine) : definition.command;
  const executorName: ExecutorName = resolveExecutorName({
    executor: explicitExecutor,
    jobs,
    ...(command !== undefined && { command }),
  });
  if (executorName === 'threads' && file === undefined) throw new ConfigError('the threads executor runs a study file: give one');
  if (executorName !== 'threads') await earlyThreads?.close(); // the file runs a command

  // A bare name that matches the study file's sampler keeps the file's options for it.
  const sampler: SamplerSpec | undefined =
    samplerFlag === undefined
      ? definition.sampler
      : typeof samplerFlag === 'string' && typeof definition.sampler === 'object' && definition.sampler.name === samplerFlag
        ? definition.sampler
        : samplerFlag;
  const { objective: _objective, command: _command, compiledSpace: _compiled, ...options } = definition;
  const study = await createStudy({
    ...options,
    name: studyName ?? definition.name,
    storage,
    ...(artifacts !== undefined && { artifacts }),
    ...(seed !== undefined && { seed }),
    ...(sampler !== undefined && { sampler }),
    ...(pruner !== undefined && { pruner }),
  });
  let note: string | undefined;
  try {
    note = await checkArtifactLocation(study.store, study.record.experimentId);
  } catch (error) {
    await study.close();
    throw error;
  }
  if (note !== undefined) io.stderr.write(`Note: ${note}\n`);
  if (file !== undefined) await recordStudyOrigin(study.store, study.record.parentRunId, file);
  const trials = trialsFlag ?? (timeoutSec === undefined && maxTrials === undefined ? (definition.trials ?? DEFAULT_TRIALS) : undefined);
  // No more workers than trials to run: --jobs 64 --trials 2 starts 2 threads (each a V8 heap), not 64.
  const width = poolWidth(jobs, trials);
  const loops = workerLoops(flags, storage);
  const reuse = executorName === 'threads' && earlyThreads !== undefined && earlyThreads.concurrency === width && isLoopExecutor(earlyThreads) === loops;
  if (executorName === 'threads' && !reuse) await earlyThreads?.close(); // sized for more trials than the file runs
  const executor = reuse ? earlyThreads : await createExecutor({
    executor: executorName,
    jobs: width,
    ...(command !== undefined && { command }),
    ...(trialTimeoutSec !== undefined && { trialTimeoutMs: trialTimeoutSec * 1000 }),
    ...(maxOldSpaceMb !== undefined && { maxOldSpaceMb }),
    ...(study.space !== undefined && { space: study.space }),
    metric: study.metric,
    trackingUri: storage,
    loops,
  });
  const source: ObjectiveSource =
    executorName === 'inline' && definition.objective
      ? { kind: 'function', fn: definition.objective as never }
      : { kind: 'module', path: resolve(file ?? spaceFile ?? '.') };

  await study.sync();
  const earlier = study.history.trials.length;
  io.stderr.write(
    `${earlier > 0 ? 'Resuming' : 'Starting'} study "${study.name}" (${study.directions.map((d, i) => `${d} ${study.metrics[i] ?? ''}`).join(', ')}, ${study.sampler.name} sampler, ${study.pruner.name === 'none' ? '' : `${study.pruner.name} pruner, `}seed ${study.seed}, ` +
      `${executorName}${width > 1 ? ` x${width}` : ''}) in ${storage}${earlier > 0 ? ` with ${earlier} earlier trials` : ''}\n`,
  );

  const stop = new AbortController();
  const kill = new AbortController();
  let interrupts = 0;
  let terminated = false;
  // Ctrl-C drains first: a person at the terminal may want the running trials. SIGTERM is a service
  // manager, container or batch system ending the run, with SIGKILL to follow: the running trials are
  // stopped and stored as FAIL (interrupted) at once rather than left RUNNING for a stale check.
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr.write('\nStopping: no new trials; waiting for the running ones. Press Ctrl-C again to stop them now.\n');
      stop.abort();
    } else if (interrupts === 2 && !kill.signal.aborted) {
      io.stderr.write('\nStopping the running trials (they end as FAIL, interrupted). Ctrl-C once more exits at once.\n');
      kill.abort();
    } else {
      process.exit(terminated ? 143 : 130);
    }
  };
  const onTerminate = (): void => {
    if (terminated) process.exit(143);
    terminated = true;
    io.stderr.write('\nSIGTERM: stopping; the running trials end as FAIL (interrupted).\n');
    stop.abort();
    kill.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onTerminate);
  const progress = createProgress(io.stderr, trials ?? (maxTrials !== undefined ? Math.max(0, maxTrials - earlier) : undefined));
  try {
    const result = await study.optimize(source, {
      ...(trials !== undefined && { trials }),
      ...(maxTrials !== undefined && { maxTrials }),
      ...(timeoutSec !== undefined && { timeoutMs: timeoutSec * 1000 }),
      ...(maxFailures !== undefined && { maxFailures }),
      ...(retryFailed !== undefined && { retryFailed }),
      ...(executor !== undefined && { executor }),
      ...(heartbeatSec !== undefined && { heartbeatIntervalMs: heartbeatSec * 1000 }),
      ...(staleAfterSec !== undefined && { staleAfterMs: staleAfterSec * 1000 }),
      jobs: width,
      ...(flags.reproducible === true && { reproducible: true }),
      signal: kill.signal,
      stopSignal: stop.signal,
      onTrialEnd: (trial, p) => progress.trialEnded(trial, p, study.bestTrial, study.directions.length > 1 ? study.bestTrials.length : undefined),
      onStaleFailed: (numbers) => io.stderr.write(`Marked trial #${numbers.join(', #')} of another process as FAIL (stale: its process is gone or sent no heartbeat for --stale-after)\n`),
      onWarning: (message) => io.stderr.write(`sweep: ${message}\n`),
    });
    progress.finish();
    const ran = result.completed + result.pruned + result.failed;
    const parts = [`${result.completed} complete`, ...(result.pruned ? [`${result.pruned} pruned`] : []), `${result.failed} failed`];
    const why = STOP_NOTES[result.stoppedBy] ?? '';
    io.stdout.write(`Ran ${ran} trials (${parts.join(', ')}) in ${formatDuration(result.elapsedMs)}${why}; the study now has ${study.history.trials.length}.\n`);
    const best = study.bestTrial;
    if (study.directions.length > 1) {
      const front = study.bestTrials;
      io.stdout.write(
        front.length === 0
          ? 'No trial has completed yet.\n'
          : `Pareto front: ${front.length} trial${front.length === 1 ? '' : 's'} (#${front.map((t) => t.number).join(', #')}); see sweep best --study ${study.name}\n`,
      );
    } else if (best) {
      io.stdout.write(`Best ${study.metric}: ${formatValue(best.value)} (trial #${best.number}, run ${best.runId})\n`);
      for (const [name, value] of Object.entries(best.params)) io.stdout.write(`  ${name} = ${formatParam(value)}\n`);
    } else {
      io.stdout.write('No trial has completed yet.\n');
    }
    if (result.stoppedBy === 'max-failures') {
      io.stderr.write(`sweep: stopped after ${result.failed} failed trials (--max-failures ${maxFailures})\n`);
      return 1;
    }
    if (terminated) return 143;
    return result.stoppedBy === 'signal' || result.stoppedBy === 'stopped' ? 130 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onTerminate);
    // The workers stop while the store closes (SQLite checkpoints its log): neither waits for the other.
    const closed = await Promise.allSettled([executor?.close(), study.close()]);
    for (const result of closed) if (result.status === 'rejected') throw result.reason;
  }
}

const STOP_NOTES: Partial<Record<string, string>> = {
  exhausted: ' (the grid is exhausted)',
  timeout: ' (timeout)',
  signal: ' (interrupted)',
  stopped: ' (stopped)',
  'max-trials': ' (the study reached --max-trials)',
  'max-failures': ' (too many failures)',
};

/**
 * `--pruner median` or `--pruner '{"name": "asha", "reductionFactor": 3}'` (likewise `--sampler`): a
 * name, or a JSON object with the name and options, validated later by the registry.
 */
function parseSpecFlag<T extends string | { readonly name: string }>(flag: string, value: string | undefined, example: string): T | undefined {
  if (value === undefined || !value.trim().startsWith('{')) return value as T | undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new ConfigError(`--${flag}: not valid JSON: ${(error as Error).message}`, { hint: `give a name or JSON: '${example}'` });
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { name?: unknown }).name !== 'string') {
    throw new ConfigError(`--${flag}: a JSON spec needs a "name", got ${value.trim()}`, { hint: `for example '${example}'` });
  }
  return parsed as T;
}

async function loadDefinition(file: string | undefined, command: string | undefined, spaceFile: string | undefined, name: string | undefined): Promise<DefinedStudy> {
  if (file !== undefined) {
    if (spaceFile !== undefined) throw new ConfigError('--space goes with --command, without a study file (the study file declares its space)');
    return loadStudyFile(file);
  }
  if (command === undefined || spaceFile === undefined) {
    throw new ConfigError('sweep run needs a study file, or --command with --space', { hint: 'sweep run study.ts, or sweep run --command "python train.py --lr {lr}" --space space.json' });
  }
  const { defineStudy } = await import('../../study-file/define.js');
  const space = await loadSpaceFile(spaceFile);
  try {
    return defineStudy({ name: name ?? basename(spaceFile, extname(spaceFile)), space, command: splitCommand(command) });
  } catch (error) {
    // A space the file holds but hp refuses (low > high, an unknown $dist): the file is named before the path in it.
    if (error instanceof SearchSpaceError) throw new SearchSpaceError(`${spaceFile}: ${error.message}`, { cause: error, ...(error.hint !== undefined && { hint: error.hint }) });
    throw error;
  }
}

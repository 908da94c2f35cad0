// Piscina worker entry: loads the study file once per worker, runs the objective with a WorkerTrial
// and resolves with the outcome. A study file named in workerData.preload is loaded as the worker
// starts, before it takes its first trial, from the modules the main thread's tsx compiled for it
// (asked for on workerData.modulesChannel), with sweep's light API for its `import { … } from 'sweep'`
// where that has every name; any other file, or one the record cannot serve, through tsx, as the CLI
// loads it.
import { BroadcastChannel, workerData } from 'node:worker_threads';
import type { ModuleRecord } from '../study-file/compiled-modules.js';
import { loadStudyFile } from '../study-file/load-study-file.js';
import { skipReplay } from '../study-file/compiled-modules.js';
import { importLightApi, startWorkerLoad } from '../study-file/ts-loader.js';
import type { DefinedStudy } from '../study-file/define.js';
import { ConfigError, ExecutorError } from '../errors.js';
import type { LoopEnd, LoopEvent, LoopTask } from '../study/loop-executor.js';
import { outcomeOfReturn, outcomeOfThrow, type TrialOutcome } from '../study/outcome.js';
import type { ModulesMessage, ThreadLoopTask, ThreadTask } from './protocol.js';
import { WorkerTrial } from './worker-trial.js';

const studies = new Map<string, Promise<DefinedStudy>>();

const { preload, modulesChannel, loopEntry } = (workerData ?? {}) as { preload?: unknown; modulesChannel?: unknown; loopEntry?: unknown };
// The app's side of a worker loop (ThreadsOptions.loopEntry), imported first and natively (see below).
const loopModule = typeof loopEntry === 'string' ? import(loopEntry) as Promise<LoopModule> : undefined;
loopModule?.catch(() => undefined); // (its fault is the first loop's)
if (typeof preload === 'string') {
  // While the main thread compiles the study file: sweep's light API loads (natively, before any
  // hooks), then the replay hooks start (or sweep's entry loads, if the file looks like it needs it:
  // see startWorkerLoad). The file then loads from the record, with the light API (or sweep's entry,
  // for modules that import more: see study-file/light-sweep.ts).
  const asked = typeof modulesChannel === 'string' ? askForModules(modulesChannel) : undefined;
  const lightNames = await importLightApi().catch(() => undefined);
  // The loop module too, natively, before the hooks start: through them each of its ~200 modules
  // would cross to the hooks' thread and back.
  await loopModule?.catch(() => undefined);
  if (asked !== undefined && lightNames !== undefined) startWorkerLoad(preload, lightNames);
  const loading = loadStudyFile(preload, await asked);
  studies.set(preload, loading);
  // Piscina waits for this module before it hands the worker a task, and between tasks it pauses the
  // worker's event loop: the load must finish here. A file that fails to load fails the first trial
  // that awaits it, not the worker.
  await loading.catch(() => undefined);
  skipReplay(); // (the file did not reach the record: other files load as they would without it)
}

export default async function runTrial(task: ThreadTask): Promise<TrialOutcome> {
  const study = await studyFile(task.studyPath);
  const trial = new WorkerTrial(task);
  let outcome: TrialOutcome;
  trial.started();
  try {
    if (!study.objective) {
      throw new ConfigError(`${task.studyPath} defines a command, not an objective: use the process executor`, { hint: 'run it with --executor process' });
    }
    outcome = outcomeOfReturn(await study.objective(trial));
  } catch (error) {
    outcome = outcomeOfThrow(error);
  }
  await trial.finish();
  return outcome;
}

/** A whole optimize loop on this worker (ThreadsExecutor.runLoop), run by the app's loop module. */
export async function runLoop(task: ThreadLoopTask): Promise<LoopEnd> {
  if (loopModule === undefined) throw new ExecutorError('threads executor: this pool was started without a loop module');
  const [study, { runStudyLoop }] = await Promise.all([studyFile(task.loop.studyPath), loopModule]);
  return runStudyLoop(task.loop, study, (event) => task.port.postMessage(event));
}

/** The study file at `path`, loaded once per worker (the preloaded one is loading already). */
function studyFile(path: string): Promise<DefinedStudy> {
  let loading = studies.get(path);
  if (!loading) {
    loading = loadStudyFile(path);
    studies.set(path, loading);
  }
  return loading;
}

interface LoopModule {
  runStudyLoop(task: LoopTask, defined: DefinedStudy, post: (event: LoopEvent) => void): Promise<LoopEnd>;
}

/** The main thread's record of the modules it compiled for the preloaded file (see ThreadsExecutor). */
function askForModules(name: string): Promise<readonly ModuleRecord[] | undefined> {
  const channel = new BroadcastChannel(name);
  return new Promise((resolve) => {
    channel.onmessage = (event) => {
      const message = (event as { data: ModulesMessage }).data;
      if (message.type !== 'modules') return;
      channel.close();
      resolve(message.records);
    };
    channel.postMessage({ type: 'ask' } satisfies ModulesMessage);
  });
}

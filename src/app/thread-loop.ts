// The worker side of a loop (study/loop-executor.ts): on a worker thread of the threads executor,
// opens the study the main thread runs, with its own store connection, and runs an optimize loop with
// the study file's objective on this thread, taking this call's trials as tickets from the shared
// control and telling the main thread of each trial it claims and ends. The threads executor's
// worker imports this module by the URL the app gives it (ThreadsOptions.loopEntry), so the
// execution layer never imports app.
import { isSweepError, serializeError } from '../errors.js';
import type { DefinedStudy } from '../study-file/define.js';
import type { LoopEnd, LoopEvent, LoopTask } from '../study/loop-executor.js';
import type { Study } from '../study/study.js';
import { createStudy } from './create-study.js';

export async function runStudyLoop(task: LoopTask, defined: DefinedStudy, post: (event: LoopEvent) => void): Promise<LoopEnd> {
  const { study: spec } = task;
  let study: Study | undefined;
  try {
    if (defined.objective === undefined) throw new Error(`${task.studyPath} defines no objective`);
    study = await createStudy({
      name: task.studyName,
      storage: spec.storageUri,
      ...(spec.artifacts !== undefined && { artifacts: spec.artifacts }),
      ...(defined.space !== undefined && { space: defined.space }),
      directions: spec.directions,
      metrics: spec.metrics,
      sampler: { name: spec.sampler.name, ...spec.sampler.options },
      ...(spec.pruner !== null && { pruner: { name: spec.pruner.name, ...spec.pruner.options } }),
      seed: spec.seed,
      ...(defined.constraints !== undefined && { constraints: defined.constraints }),
    });
    const result = await study.optimize(defined.objective, {
      jobs: 1,
      ...(task.maxTrials !== undefined && { maxTrials: task.maxTrials }),
      ...(task.retryFailed !== undefined && { retryFailed: task.retryFailed }),
      ...(task.heartbeatIntervalMs !== undefined && { heartbeatIntervalMs: task.heartbeatIntervalMs }),
      ...(task.staleAfterMs !== undefined && { staleAfterMs: task.staleAfterMs }),
      inLoop: { control: task.control, onEvent: post },
    });
    return { kind: 'stopped', stoppedBy: result.stoppedBy };
  } catch (error) {
    return { kind: 'error', error: serializeError(error), ...(isSweepError(error) && error.hint !== undefined && { hint: error.hint }) };
  } finally {
    await study?.close();
  }
}

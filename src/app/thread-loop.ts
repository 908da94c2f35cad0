// The worker side of a loop (study/loop-executor.ts): on a worker thread of the threads executor,
// opens the study the main thread runs, with its own store connection, and runs an optimize loop with
// the study file's objective on this thread, taking this call's trials as tickets from the shared
// control and telling the main thread of each trial it claims and ends. The study is opened from what
// the main thread's createStudy checked (Study.restorable), without its checks: no zod loads for a
// study without a pruner, and a worker starts sooner. The threads executor's
// worker imports this module by the URL the app gives it (ThreadsOptions.loopEntry), so the
// execution layer never imports app.
import { buildSampler } from '../../samplers/build.js';
import { ConfigError, NotFoundError, isSweepError, serializeError } from '../errors.js';
import { compileSpace } from '../space/compile.js';
import type { DefinedStudy } from '../study-file/define.js';
import type { LoopEnd, LoopEvent, LoopTask } from '../study/loop-executor.js';
import { nopPruner, type Pruner } from '../study/pruner.js';
import { Study } from '../study/study.js';
import { openStore } from '../tracking/open-store.js';

export async function runStudyLoop(task: LoopTask, defined: DefinedStudy, post: (event: LoopEvent) => void): Promise<LoopEnd> {
  let study: Study | undefined;
  try {
    if (defined.objective === undefined) throw new ConfigError(`${task.studyPath} defines a command, not an objective: use the process executor`);
    study = await openStudy(task, defined);
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

/** The study the main thread created, opened again on this thread with its own store connection. */
async function openStudy(task: LoopTask, defined: DefinedStudy): Promise<Study> {
  const spec = task.study;
  const store = openStore(spec.storageUri, spec.artifacts === undefined ? {} : { artifacts: spec.artifacts });
  try {
    const record = await store.getStudy(task.studyName);
    if (!record) throw new NotFoundError(`study "${task.studyName}" is not in ${store.uri}`);
    const space = defined.space === undefined ? undefined : compileSpace(defined.space);
    const sampler = buildSampler(spec.sampler.name, spec.sampler.options ?? {}, { space, seed: spec.seed });
    let pruner: Pruner = nopPruner;
    if (spec.pruner !== null && spec.pruner.name !== 'none') {
      const { createPruner } = await import('../pruners/index.js');
      pruner = createPruner({ name: spec.pruner.name, ...spec.pruner.options }, { studyName: record.name });
    }
    return new Study({ store, record, sampler, pruner, space, seed: spec.seed, ownsStore: true, ...(defined.constraints !== undefined && { constraints: defined.constraints }) });
  } catch (error) {
    await store.close();
    throw error;
  }
}

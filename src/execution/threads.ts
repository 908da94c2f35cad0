// ThreadsExecutor: runs trials on a Piscina pool of worker threads (the only importer of piscina).
// A worker that throws asynchronously, calls process.exit, runs out of memory or passes the trial
// timeout ends its trial as FAIL with the reason; Piscina replaces the worker and the study goes on.
import { Piscina } from 'piscina';
import { randomUUID } from 'node:crypto';
import { BroadcastChannel, MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { ConfigError, ExecutorError, serializeError, type SerializedError } from '../errors.js';
import type { TrialIO, TrialTask } from '../study/executor.js';
import { LoopFault, type LoopEnd, type LoopEvent, type LoopExecutor, type LoopTask } from '../study/loop-executor.js';
import type { TrialOutcome } from '../study/outcome.js';
import { recordedModules, requestRecording } from '../study-file/compiled-modules.js';
import type { MainMessage, ModulesMessage, SuggestReply, ThreadLoopTask, ThreadTask, WorkerMessage } from './protocol.js';
import { withWorkerExecArgv } from './worker-exec-argv.js';

export interface ThreadsOptions {
  readonly threads: number;
  /** Per-trial wall-clock limit. */
  readonly trialTimeoutMs?: number;
  /** Per-worker heap limit (V8 old space), in MB. */
  readonly maxOldSpaceMb?: number;
  /**
   * A study file every worker starts loading as it starts (the pool starts its workers at once), so
   * loading overlaps whatever the main thread does before the first trial. The main thread loads it
   * too, and workers take the TypeScript it compiled rather than compile it again (see
   * study-file/compiled-modules.ts).
   */
  readonly preload?: string;
  /**
   * The URL of the module that runs a worker's own optimize loop (app/thread-loop.ts): given, the
   * executor is a LoopExecutor and optimize runs whole loops on its workers (study/optimize-loops.ts).
   */
  readonly loopEntry?: string;
}

/**
 * The worker entry, always the compiled file: a worker thread cannot load TypeScript sources, so when
 * this module itself runs from src/ (tests), the worker comes from dist/ (built by `npm test`).
 */
const WORKER = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/src/execution/thread-worker.js', import.meta.url).href
  : new URL('./thread-worker.js', import.meta.url).href;

export class ThreadsExecutor implements LoopExecutor {
  readonly name = 'threads';
  readonly concurrency: number;
  /** Whether optimize may run whole loops on the workers (a loop module was given). */
  readonly loops: boolean;
  private readonly pool: Piscina;
  private readonly modules: BroadcastChannel | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ThreadsOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new ConfigError(`threads executor: threads must be an integer >= 1, got ${options.threads}`);
    }
    this.concurrency = options.threads;
    this.loops = options.loopEntry !== undefined;
    const modulesChannel = options.preload === undefined ? undefined : `sweep-study-modules-${randomUUID()}`;
    this.pool = withWorkerExecArgv(process.execArgv, (execArgv) => new Piscina({
      filename: WORKER,
      minThreads: options.threads,
      maxThreads: options.threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: 60_000,
      execArgv,
      workerData: {
        ...(options.preload !== undefined && { preload: options.preload, modulesChannel }),
        ...(options.loopEntry !== undefined && { loopEntry: options.loopEntry }),
      },
      ...(options.maxOldSpaceMb !== undefined && { resourceLimits: { maxOldGenerationSizeMb: options.maxOldSpaceMb } }),
    }));
    if (options.preload !== undefined && modulesChannel !== undefined) this.modules = answerModules(modulesChannel, options.preload);
  }

  async run(trial: TrialTask, io: TrialIO, signal: AbortSignal): Promise<TrialOutcome> {
    const objective = trial.objective;
    if (objective.kind !== 'module') throw new ExecutorError('threads executor: the objective must come from a study file');
    const channel = new MessageChannel();
    const sync = new MessageChannel();
    const syncFlag = new Int32Array(new SharedArrayBuffer(4));
    channel.port1.on('message', (message: WorkerMessage) => handle(message));
    const handle = (message: WorkerMessage): void => {
      switch (message.type) {
        case 'started':
          // The trial timeout counts the objective's time, not the worker's first load of the study.
          if (timeoutMs !== undefined) timer = setTimeout(() => timeout.abort(), timeoutMs);
          return;
        case 'report':
          return io.report(message.value, message.step);
        case 'log':
          return io.log(message.key, message.value, message.step);
        case 'tag':
          return io.setTag(message.key, message.value);
        case 'input':
          return io.logInput(message.dataset);
        case 'suggest': {
          let reply: SuggestReply;
          try {
            reply = { ok: true, value: io.suggest(message.name, message.node) };
          } catch (error) {
            reply = { ok: false, error: serializeError(error) };
          }
          sync.port1.postMessage(reply);
          Atomics.store(syncFlag, 0, 1);
          Atomics.notify(syncFlag, 0);
          return;
        }
        case 'should-prune':
          void io.shouldPrune().then(
            (prune) => reply({ type: 'prune-answer', id: message.id, prune }),
            () => reply({ type: 'prune-answer', id: message.id, prune: false }),
          );
          return;
      }
    };
    const reply = (message: MainMessage): void => channel.port1.postMessage(message);

    const timeoutMs = this.options.trialTimeoutMs;
    const timeout = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const taskSignal = AbortSignal.any([signal, timeout.signal]);
    const task: ThreadTask = {
      studyPath: objective.path,
      trial: { number: trial.number, runId: trial.runId, studyName: trial.studyName, params: trial.params, artifactUri: trial.artifactUri },
      port: channel.port2,
      syncPort: sync.port2,
      syncFlag,
    };
    try {
      return (await this.pool.run(task, { transferList: [channel.port2, sync.port2] as never, signal: taskSignal })) as TrialOutcome;
    } catch (error) {
      if (timeout.signal.aborted) {
        return { kind: 'failed', reason: 'timeout', error: { name: 'TrialTimeout', message: `trial exceeded the trial timeout of ${(timeoutMs ?? 0) / 1000} s; its worker was stopped` } };
      }
      if (signal.aborted) {
        return { kind: 'failed', reason: 'interrupted', error: { name: 'Interrupted', message: 'interrupted: the worker running the trial was stopped' } };
      }
      return { kind: 'failed', reason: 'crashed', error: describeCrash(error, this.options.maxOldSpaceMb) };
    } finally {
      // What the worker sent before it returned (or died) is already queued on the port, ahead of the
      // result: store it now, in order, instead of a flush round trip per trial. A question nobody
      // waits for any more (a prune check, a suggest) is not answered.
      for (let queued = receiveMessageOnPort(channel.port1); queued !== undefined; queued = receiveMessageOnPort(channel.port1)) {
        const message = queued.message as WorkerMessage;
        if (message.type !== 'should-prune' && message.type !== 'suggest') handle(message);
      }
      clearTimeout(timer);
      channel.port1.close();
      sync.port1.close();
    }
  }

  /**
   * Runs one optimize loop on a worker (study/loop-executor.ts). The trial timeout runs from each
   * trial's claim; when it passes, or `signal` aborts, the worker is stopped and this rejects with a
   * LoopFault, as it does when the worker dies (process.exit, out of memory).
   */
  async runLoop(task: LoopTask, onEvent: (event: LoopEvent) => void, signal: AbortSignal): Promise<LoopEnd> {
    const channel = new MessageChannel();
    const timeoutMs = this.options.trialTimeoutMs;
    const timeout = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const handle = (event: LoopEvent): void => {
      clearTimeout(timer);
      if (event.type === 'claimed' && timeoutMs !== undefined) timer = setTimeout(() => timeout.abort(), timeoutMs);
      onEvent(event);
    };
    // What the worker sent before its result (or its death) is queued ahead of it: take it in order.
    const drain = (): void => {
      for (let queued = receiveMessageOnPort(channel.port1); queued !== undefined; queued = receiveMessageOnPort(channel.port1)) handle(queued.message as LoopEvent);
    };
    channel.port1.on('message', handle);
    const loop: ThreadLoopTask = { loop: task, port: channel.port2 };
    try {
      const end = (await this.pool.run(loop, { name: 'runLoop', transferList: [channel.port2] as never, signal: AbortSignal.any([signal, timeout.signal]) })) as LoopEnd;
      drain();
      return end;
    } catch (error) {
      drain();
      if (timeout.signal.aborted) {
        throw new LoopFault('timeout', { name: 'TrialTimeout', message: `trial exceeded the trial timeout of ${(timeoutMs ?? 0) / 1000} s; its worker was stopped` });
      }
      if (signal.aborted) throw new LoopFault('interrupted', { name: 'Interrupted', message: 'interrupted: the worker running the trial was stopped' });
      throw new LoopFault('crashed', describeCrash(error, this.options.maxOldSpaceMb));
    } finally {
      clearTimeout(timer);
      channel.port1.close();
    }
  }

  /** Stops the workers; closing again waits for the same stop. */
  async close(): Promise<void> {
    this.modules?.close();
    this.closing ??= this.pool.destroy();
    await this.closing;
  }
}

/**
 * Loads the study file on this thread (the CLI loads it anyway: the module system loads it once) and
 * answers each worker's question with the modules tsx compiled for it.
 */
function answerModules(name: string, preload: string): BroadcastChannel {
  requestRecording(); // (before the study file loads: here or in the CLI)
  const channel = new BroadcastChannel(name);
  channel.unref();
  // (imported here: the pool starts before the main thread has loaded the study-file modules)
  const compiled = import('../study-file/load-study-file.js')
    .then(async ({ loadStudyFile }) => {
      await loadStudyFile(preload);
      return recordedModules();
    })
    .catch(() => undefined);
  channel.onmessage = (event) => {
    if ((event as { data: ModulesMessage }).data.type !== 'ask') return;
    void compiled.then((records) => {
      try {
        channel.postMessage({ type: 'modules', records } satisfies ModulesMessage);
      } catch {
        // closed: the executor stopped (a bad --storage, say) before the modules were ready; nobody waits
      }
    });
  };
  return channel;
}

function describeCrash(error: unknown, maxOldSpaceMb: number | undefined): SerializedError {
  const serialized = serializeError(error);
  if (serialized.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { name: 'OutOfMemory', message: `the worker ran out of memory${maxOldSpaceMb ? ` (limit ${maxOldSpaceMb} MB)` : ''}: ${serialized.message}` };
  }
  return { ...serialized, message: `the worker thread crashed: ${serialized.message}` };
}

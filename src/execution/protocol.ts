// Messages between the main thread and a worker running one trial. Plain structured-clone data.
import type { MessagePort } from 'node:worker_threads';
import type { SerializedError } from '../errors.js';
import type { ModuleRecord } from '../study-file/compiled-modules.js';
import type { LoopTask } from '../study/loop-executor.js';
import type { DatasetSpec } from '../tracking/registry/model-files.js';

/** What a worker needs to run one trial. The two ports are transferred with the task. */
export interface ThreadTask {
  readonly studyPath: string;
  readonly trial: {
    readonly number: number;
    readonly runId: string;
    readonly studyName: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly artifactUri: string;
  };
  /** Reports, logs, tags and prune questions; the main thread drains it when the trial's result arrives. */
  readonly port: MessagePort;
  /** Replies to synchronous suggest calls. */
  readonly syncPort: MessagePort;
  /** Set to 1 by the main thread when a sync reply is posted. */
  readonly syncFlag: Int32Array;
}

/** What a worker needs to run a whole optimize loop (study/loop-executor.ts); events go on `port`. */
export interface ThreadLoopTask {
  readonly loop: LoopTask;
  readonly port: MessagePort;
}

export type WorkerMessage =
  | { readonly type: 'started' }
  | { readonly type: 'report'; readonly value: number; readonly step: number }
  | { readonly type: 'log'; readonly key: string; readonly value: number; readonly step: number }
  | { readonly type: 'tag'; readonly key: string; readonly value: string }
  | { readonly type: 'input'; readonly dataset: DatasetSpec }
  | { readonly type: 'suggest'; readonly name: string; readonly node: unknown }
  | { readonly type: 'should-prune'; readonly id: number };

export type MainMessage = { readonly type: 'prune-answer'; readonly id: number; readonly prune: boolean };

export type SuggestReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: SerializedError };

/**
 * On the pool's broadcast channel, as workers start: a worker asks for the modules the main thread
 * compiled when it loaded the preloaded study file; the main thread answers once it has (`records`
 * undefined when that load failed: the worker then loads the file itself).
 */
export type ModulesMessage = { readonly type: 'ask' } | { readonly type: 'modules'; readonly records: readonly ModuleRecord[] | undefined };

// The Trial an objective sees inside a worker thread: a proxy that sends reports, logs and tags to
// the main thread (the only writer), asks it for define-by-run samples synchronously and for
// pruning decisions asynchronously.
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { SweepError, rebuildError, type SerializedError } from '../errors.js';
import type { InferParams } from '../space/nodes.js';
import { prunedResult, type PrunedResult } from '../study/outcome.js';
import { checkMetricKey, checkNumber, checkStep, checkTag } from '../study/trial-checks.js';
import { TAG_ARTIFACT_ERROR, TrialArtifacts, type PendingModel } from '../study/trial-artifacts.js';
import type { Trial } from '../study/trial.js';
import { TAG_LOG_MODEL_HISTORY } from '../tracking/registry/entities.js';
import { datasetInput, modelHistoryJson, type DatasetSpec, type LogModelOptions } from '../tracking/registry/model-files.js';
import type { MainMessage, SuggestReply, ThreadTask, WorkerMessage } from './protocol.js';

const SUGGEST_TIMEOUT_MS = 120_000;

export class WorkerTrial implements Trial<Record<string, any>> {
  readonly number: number;
  readonly runId: string;
  readonly studyName: string;
  readonly params: Record<string, any>;
  private readonly port: MessagePort;
  private readonly pending = new Map<number, (message: MainMessage) => void>();
  private nextId = 0;
  private readonly models: Readonly<Record<string, unknown>>[] = [];
  private readonly artifacts: TrialArtifacts;

  constructor(private readonly task: ThreadTask) {
    this.number = task.trial.number;
    this.runId = task.trial.runId;
    this.studyName = task.trial.studyName;
    this.params = task.trial.params;
    this.port = task.port;
    this.artifacts = new TrialArtifacts(task.trial.artifactUri, task.trial.runId);
    this.port.on('message', (message: MainMessage) => {
      const resolve = this.pending.get(message.id);
      this.pending.delete(message.id);
      resolve?.(message);
    });
  }

  suggest<N>(name: string, node: N): InferParams<N> {
    const flag = this.task.syncFlag;
    Atomics.store(flag, 0, 0);
    this.send({ type: 'suggest', name, node });
    if (Atomics.wait(flag, 0, 0, SUGGEST_TIMEOUT_MS) === 'timed-out') {
      throw new SweepError('E_EXECUTOR', `suggest("${name}"): the main thread did not answer`);
    }
    const reply = receiveMessageOnPort(this.task.syncPort)?.message as SuggestReply | undefined;
    if (!reply) throw new SweepError('E_EXECUTOR', `suggest("${name}"): no answer from the main thread`);
    if (!reply.ok) throw errorFromMain(reply.error);
    return reply.value as InferParams<N>;
  }

  report(value: number, step: number): void {
    checkStep('report', step);
    checkNumber('report', value);
    this.send({ type: 'report', value, step });
  }

  log(key: string, value: number, step = 0): void {
    checkMetricKey(key);
    checkStep('log', step);
    checkNumber('log', value);
    this.send({ type: 'log', key, value, step });
  }

  setTag(key: string, value: string): void {
    checkTag(key, String(value));
    this.send({ type: 'tag', key, value: String(value) });
  }

  /** Copies or uploads from this thread (the main thread only writes the store). */
  logArtifact(path: string, artifactPath?: string): Promise<void> {
    return this.artifacts.logArtifact(path, artifactPath);
  }

  /** Writes the files here; the run's history tag (this trial's models) goes to the main thread. */
  logModel(pathOrDir: string, options?: LogModelOptions): PendingModel {
    const model = this.artifacts.logModel(pathOrDir, options);
    this.models.push(model.info);
    this.send({ type: 'tag', key: TAG_LOG_MODEL_HISTORY, value: modelHistoryJson(this.models) });
    return model;
  }

  logInput(dataset: DatasetSpec): void {
    datasetInput(dataset); // the same checks as the main thread's, thrown here
    this.send({ type: 'input', dataset: JSON.parse(JSON.stringify(dataset)) as DatasetSpec });
  }

  async shouldPrune(): Promise<boolean> {
    const answer = await this.request({ type: 'should-prune', id: this.nextId++ });
    return answer.type === 'prune-answer' && answer.prune;
  }

  pruned(): PrunedResult {
    return prunedResult;
  }

  /** Tells the main thread the objective starts now (the trial timeout runs from here). */
  started(): void {
    this.send({ type: 'started' });
  }

  /**
   * Settles this trial's artifact uploads (a failed one becomes a tag), then closes the port. Everything
   * sent so far stays queued for the main thread, which takes it off the port when the worker's result
   * arrives (ThreadsExecutor.run), before it ends the trial.
   */
  async finish(): Promise<void> {
    const artifactError = await this.artifacts.settle();
    if (artifactError !== undefined) this.send({ type: 'tag', key: TAG_ARTIFACT_ERROR, value: artifactError });
    this.port.close();
  }

  // --- internal ---

  private send(message: WorkerMessage): void {
    this.port.postMessage(message);
  }

  private request(message: WorkerMessage & { id: number }): Promise<MainMessage> {
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      this.send(message);
    });
  }
}

/** The main thread's error, rebuilt for the objective (see rebuildError). */
export function errorFromMain(error: SerializedError): SweepError {
  return rebuildError(error);
}

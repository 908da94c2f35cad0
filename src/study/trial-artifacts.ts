// A trial's artifacts, for every Trial implementation (this thread's session, a worker's proxy): files
// and models go through the artifact sink of the trial's location (a directory, or a server's proxy).
// Local copies happen before the call returns; uploads run in the background, and the call's promise
// settles with them. The trial waits for them before it ends; a failed upload the objective did not
// catch is recorded on the run (tag `sweep.artifacts.error`), and the trial keeps its outcome.
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from '../errors.js';
import { artifactSink, checkArtifactPath, type ArtifactSink } from '../tracking/artifact-sink.js';
import { putModelFiles, type LoggedModel, type LogModelOptions } from '../tracking/registry/model-files.js';

/** The run tag naming the first artifact of a trial that could not be stored. */
export const TAG_ARTIFACT_ERROR = 'sweep.artifacts.error';

/** What logModel returns: the model's description at once, and a promise settled when its files are stored. */
export type PendingModel = LoggedModel & Promise<LoggedModel>;

export class TrialArtifacts {
  private readonly sink: ArtifactSink;
  private readonly pending = new Set<Promise<void>>();
  private failure: string | undefined;

  /** @param location the trial's artifact directory or proxy URL */
  constructor(location: string, private readonly runId: string) {
    this.sink = artifactSink(location);
  }

  /** @throws ConfigError at once for a bad path or an unreadable file; the promise rejects when an upload fails */
  logArtifact(path: string, artifactPath?: string): Promise<void> {
    if (typeof path !== 'string' || path === '') throw new ConfigError(`trial.logArtifact: path must be a file or directory, got ${JSON.stringify(path)}`);
    const target = checkArtifactPath(artifactPath ?? basename(path), 'trial.logArtifact');
    try {
      statSync(path);
    } catch (error) {
      throw new ConfigError(`trial.logArtifact: cannot copy ${path}: ${(error as Error).message}`, { cause: error });
    }
    return this.track(this.sink.put(path, target, 'trial.logArtifact'));
  }

  /** @throws ConfigError at once for a bad name or unreadable files; the promise rejects when an upload fails */
  logModel(pathOrDir: string, options?: LogModelOptions): PendingModel {
    const { model, stored } = putModelFiles(this.sink.location, this.runId, pathOrDir, options, 'trial.logModel');
    return withPromise(model, this.track(stored).then(() => model));
  }

  /** Waits for every upload under way. Never rejects: the first failure's message, if one failed. */
  async settle(): Promise<string | undefined> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    return this.failure;
  }

  // --- internal ---

  private track(upload: Promise<void> | undefined): Promise<void> {
    if (upload === undefined) return Promise.resolve();
    const tracked = upload.catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error.message : String(error);
      throw error;
    });
    // Handled here, so an objective that does not await its upload does not crash the process.
    tracked.catch(() => undefined);
    const settled = tracked.then(() => undefined, () => undefined);
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
    return tracked;
  }
}

function withPromise(model: LoggedModel, promise: Promise<LoggedModel>): PendingModel {
  promise.catch(() => undefined);
  return Object.assign(promise, model);
}

// What every route handler gets (the store and the artifact layout), the route table type, and the
// look-ups that answer MLflow's not-found and not-active errors with its codes and wording.
import { isSweepError } from '../errors.js';
import type { Experiment, Run } from '../tracking/entities.js';
import type { TrackingStore } from '../tracking/store.js';
import type { ArtifactRepo } from './artifact-paths.js';
import { ApiError, invalidParameter, notFound } from './errors.js';
import type { Fields } from './request.js';
import type { PresentUri } from './serialize.js';

export interface ServerContext {
  readonly store: TrackingStore;
  readonly artifacts: ArtifactRepo;
  /** Artifact locations as clients see them. */
  readonly present: PresentUri;
}

/** One RPC: fields come from the query string (GET) or the JSON body; the result is the 200 body. */
export interface ApiRoute {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Under the API prefix, e.g. `/runs/create`. */
  readonly path: string;
  readonly handler: (fields: Fields) => Promise<Record<string, unknown>>;
}

/** @throws 404 RESOURCE_DOES_NOT_EXIST `No Experiment with id=<id> exists` */
export async function experimentOr404(ctx: ServerContext, experimentId: string): Promise<Experiment> {
  return translateNotFound(() => ctx.store.getExperiment(experimentId), `No Experiment with id=${experimentId} exists`);
}

/** @throws 400 when the experiment is deleted */
export async function activeExperiment(ctx: ServerContext, experimentId: string): Promise<Experiment> {
  const experiment = await experimentOr404(ctx, experimentId);
  if (experiment.lifecycleStage !== 'active') {
    const message = `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`;
    throw new ApiError('INVALID_PARAMETER_VALUE', message, 400, 'E_INVALID_TRANSITION'); // as the stores' own check says it
  }
  return experiment;
}

/** @throws 404 RESOURCE_DOES_NOT_EXIST `Run with id=<id> not found` */
export async function runOr404(ctx: ServerContext, runId: string): Promise<Run> {
  return translateNotFound(() => ctx.store.getRun(runId), `Run with id=${runId} not found`);
}

/** Writes need an active run. @throws 404, 400 */
export async function activeRun(ctx: ServerContext, runId: string): Promise<Run> {
  const run = await runOr404(ctx, runId);
  if (run.info.lifecycleStage !== 'active') {
    throw invalidParameter(`The run ${runId} must be in the 'active' state. Current state is ${run.info.lifecycleStage}.`);
  }
  return run;
}

/** Runs `body`, turning the store's NotFoundError into MLflow's wording. */
export async function translateNotFound<T>(body: () => Promise<T>, message: string): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (isSweepError(error) && error.code === 'E_NOT_FOUND') throw notFound(message);
    throw error;
  }
}

export const VIEW_TYPES = { ACTIVE_ONLY: 1, DELETED_ONLY: 2, ALL: 3 } as const;
export const RUN_STATUSES = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 } as const;

// sweep's public API: re-exports only.
export { defineStudy, defineObjective, isDefinedStudy } from './study-file/define.js';
export type { StudyDefinition, StudyOptions, DefinedStudy, SamplerSpec } from './study-file/define.js';
export { createStudy, storedSpace } from './app/create-study.js';
export type { CreateStudyOptions } from './app/create-study.js';
export { loadStudyFile } from './study-file/load-study-file.js';

export { hp } from './space/hp.js';
export type { DistNode, NumericNode, ChoiceNode, InferParams, SpaceDefinition } from './space/nodes.js';
export type { Distribution } from './space/distributions.js';
export { compileSpace } from './space/compile.js';
export type { CompiledSpace, ParamSpec } from './space/compile.js';

export { Study } from './study/study.js';
export type { Trial, TrialView, ParamPrimitive } from './study/trial.js';
export type { PendingModel } from './study/trial-artifacts.js';
export type { Sampler, SamplerContext, StudyView, BeforeTrialContext, TrialClaim } from './study/sampler.js';
export type { Pruner } from './study/pruner.js';
export {
  createPruner, PRUNERS, MedianPruner, PercentilePruner, SuccessiveHalvingPruner, HyperbandPruner, ThresholdPruner,
  PatientPruner, nopPruner,
} from './pruners/index.js';
export type { PrunerSpec, PrunerFactoryContext } from './pruners/index.js';
export type { Executor, ObjectiveFn, ObjectiveResult, ObjectiveSource, ResultOf } from './study/executor.js';
export type { TrialOutcome, PrunedResult, FailReason } from './study/outcome.js';
export { TrialPruned } from './study/outcome.js';
export type { OptimizeOptions, OptimizeResult, OptimizeProgress, StopReason } from './study/optimize.js';

export { openStore, resolveStorageUri, DEFAULT_STORAGE } from './tracking/open-store.js';
export { MemoryStore } from './tracking/memory-store.js';
export { SqliteStore } from './tracking/sqlite/sqlite-store.js';
export { HttpStore } from './tracking/http/http-store.js';
export type { SearchRunsQuery, SearchRunsPage } from './tracking/search/query.js';
export type { TrackingStore } from './tracking/store.js';
export type { ModelRegistry } from './tracking/registry/registry.js';
export type * from './tracking/registry/entities.js';
export { MODEL_STAGES } from './tracking/registry/entities.js';
export { logRunModel, logRunInput, datasetInput } from './tracking/registry/model-files.js';
export type { LogModelOptions, LoggedModel, DatasetSpec } from './tracking/registry/model-files.js';
export { parseModelUri, resolveModelUri } from './tracking/registry/model-uri.js';
export type { ModelRef } from './tracking/registry/model-uri.js';
export type * from './tracking/entities.js';
export type { TrialState } from './tracking/trial-state.js';
export { TRANSITIONS, isFinished } from './tracking/trial-state.js';

export {
  SweepError, ConfigError, SearchSpaceError, NotFoundError, DuplicateError, InvalidTransitionError,
  ImmutableValueError, StorageError, ExecutorError, ObjectiveLoadError, StudyMismatchError, SweepAbortedError, TrialLostError,
  isSweepError,
} from './errors.js';
export type { SweepErrorCode, SerializedError } from './errors.js';

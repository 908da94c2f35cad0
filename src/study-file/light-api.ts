// The part of sweep's public API (src/index.ts) that study files and objectives use, re-exported from
// the same modules, without what only the main thread needs (stores and their drivers, createStudy and
// the samplers, the pruners, zod). A worker thread gives it to a study file's `import { … } from
// 'sweep'` when every name imported is here (light-sweep.ts), so that loading the study costs a worker
// a fraction of sweep's whole module graph; the bindings are the very ones src/index.ts exports.
export { defineStudy, defineObjective, isDefinedStudy } from './define.js';
export { loadStudyFile } from './load-study-file.js';
export { hp } from '../space/hp.js';
export { compileSpace } from '../space/compile.js';
export { TrialPruned } from '../study/outcome.js';
export { MODEL_STAGES } from '../tracking/registry/entities.js';
export { logRunModel, logRunInput, datasetInput } from '../tracking/registry/model-files.js';
export { parseModelUri, resolveModelUri } from '../tracking/registry/model-uri.js';
export { TRANSITIONS, isFinished } from '../tracking/trial-state.js';
export {
  SweepError, ConfigError, SearchSpaceError, NotFoundError, DuplicateError, InvalidTransitionError,
  ImmutableValueError, StorageError, ExecutorError, ObjectiveLoadError, StudyMismatchError, SweepAbortedError,
  isSweepError,
} from '../errors.js';

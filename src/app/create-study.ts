// createStudy: the composition root for programmatic use. Opens the store, creates or resumes the
// study (refusing a changed space), and builds its sampler from the registry.
import { createSampler, DEFAULT_MULTI_OBJECTIVE_SAMPLER, DEFAULT_SAMPLER } from '../../samplers/index.js';
import { ConfigError, DuplicateError, StudyMismatchError } from '../errors.js';
import { randomSeed } from '../rng.js';
import { compileSpace, type CompiledSpace } from '../space/compile.js';
import type { InferParams, SpaceDefinition } from '../space/nodes.js';
import type { Pruner } from '../study/pruner.js';
import type { RestorableStudy } from '../study/loop-executor.js';
import { createPruner, type PrunerSpec } from '../pruners/index.js';
import { Study } from '../study/study.js';
import type { Direction, StudyRecord } from '../tracking/entities.js';
import type { ResultOf } from '../study/executor.js';
import { openStore, resolveStorageUri } from '../tracking/open-store.js';
import { isPgUri } from '../tracking/postgres/connection.js';
import type { TrackingStore } from '../tracking/store.js';
import { parseStudyOptions, resolveObjectives, type SamplerSpec, type StudyOptions } from '../study-file/define.js';
import { studyObjectives, type Objectives } from '../study/objectives.js';

export interface CreateStudyOptions<
  S extends SpaceDefinition | undefined = SpaceDefinition | undefined,
  D extends readonly Direction[] | undefined = readonly Direction[] | undefined,
  M extends readonly string[] | undefined = readonly string[] | undefined,
> extends Omit<StudyOptions<S, D, M>, 'pruner'> {
  /** A pruner spec (stored with a new study, reused on resume), or a Pruner object of your own. */
  readonly pruner?: PrunerSpec | Pruner;
  /** `sqlite:./sweep.db` (default, or SWEEP_TRACKING_URI), `memory:`, or an open store. */
  readonly storage?: string | TrackingStore;
  /** Resume a study of the same name (default true); false makes an existing name an error. */
  readonly loadIfExists?: boolean;
  /**
   * With a storage URI: where new experiments keep run artifacts, a directory or a sweep/MLflow
   * server (`http://host:5000`) whose artifact proxy takes them (see openStore).
   */
  readonly artifacts?: string;
}

/** @throws ConfigError, SearchSpaceError, StudyMismatchError, StorageError */
export async function createStudy<
  const S extends SpaceDefinition | undefined = undefined,
  const D extends readonly Direction[] | undefined = undefined,
  const M extends readonly string[] | undefined = undefined,
>(options: CreateStudyOptions<S, D, M>): Promise<Study<S extends SpaceDefinition ? InferParams<S> : Record<string, any>, ResultOf<D, M>>> {
  const { storage, loadIfExists, artifacts, ...studyOptions } = options;
  parseStudyOptions(studyOptions, 'createStudy', ['storage', 'loadIfExists', 'artifacts']);
  const objectives = resolveObjectives(studyOptions, 'createStudy');
  const space = options.space === undefined ? undefined : compileSpace(options.space);
  const ownsStore = typeof storage !== 'object';
  if (typeof storage === 'object' && artifacts !== undefined) {
    throw new ConfigError('createStudy: artifacts is an option of a storage URI; set it on the store you pass instead');
  }
  const store = typeof storage === 'object' ? storage : openStore(resolveStorageUri(storage), artifacts === undefined ? {} : { artifacts });
  try {
    const { name: samplerName, options: samplerOptions } = normalizeSampler(options.sampler, objectives.directions.length);
    const existing = await store.getStudy(options.name);
    if (existing && loadIfExists === false) {
      throw new ConfigError(`study "${options.name}" already exists in ${store.uri}`, { hint: 'choose another name, or resume it' });
    }
    const explicitSeed = (samplerOptions['seed'] as number | undefined) ?? options.seed;
    // A pruner object is used as it is; a spec is validated now and stored with a new study.
    const prunerSpec = isPruner(options.pruner) ? undefined : options.pruner;
    if (prunerSpec !== undefined) createPruner(prunerSpec, { studyName: options.name });
    refusePruningSeveral(options.name, objectives, options.pruner);
    // Bad sampler options fail here, before anything is stored.
    createSampler(samplerName, samplerOptions, { space, seed: explicitSeed ?? existing?.seed ?? 0 });
    let record = existing;
    if (!record) {
      const seed = explicitSeed ?? randomSeed();
      try {
        record = await store.createStudy({
          name: options.name,
          ...(options.experiment !== undefined && { experimentName: options.experiment }),
          directions: objectives.directions,
          metric: objectives.metrics[0] as string,
          ...(objectives.metrics.length > 1 && { metrics: objectives.metrics }),
          space: space?.fingerprint ?? null,
          sampler: { name: samplerName, options: samplerOptions },
          pruner: prunerSpec === undefined ? null : specToConfig(prunerSpec),
          seed,
          tags: { ...options.tags, 'sweep.sampler': samplerName, 'sweep.seed': String(seed) },
        });
      } catch (error) {
        // Another process created the study a moment ago: join it (and take its seed).
        if (!(error instanceof DuplicateError)) throw error;
        record = await store.getStudy(options.name);
        if (!record) throw error;
      }
    }
    checkCompatible(record, objectives, space, store.uri);
    const seed = explicitSeed ?? record.seed;
    const sampler = createSampler(samplerName, samplerOptions, { space, seed });
    const pruner = isPruner(options.pruner)
      ? options.pruner
      : createPruner(prunerSpec ?? configToSpec(record.pruner) ?? 'none', { studyName: record.name });
    const prunerConfig = prunerSpec === undefined ? record.pruner : specToConfig(prunerSpec);
    // A worker thread can open the same study when this one came from a URI it can open too, with
    // specs rather than objects (see study/loop-executor.ts). Not PostgreSQL: a process keeps to its
    // two connections there (each worker would open its own).
    const restorable: RestorableStudy | undefined =
      ownsStore && !store.uri.startsWith('memory:') && !isPgUri(store.uri) && !isPruner(options.pruner)
        ? { storageUri: store.uri, artifacts, sampler: { name: samplerName, options: samplerOptions }, pruner: prunerConfig, seed }
        : undefined;
    const study = new Study<S extends SpaceDefinition ? InferParams<S> : Record<string, any>, ResultOf<D, M>>({
      store, record, sampler, pruner, space, seed, ownsStore,
      ...(options.constraints !== undefined && { constraints: options.constraints }),
      ...(restorable !== undefined && { restorable }),
    });
    // A resumed study shows its earlier trials (study.trials, bestTrial) before any ask or optimize.
    if (existing) await study.sync();
    return study;
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
}

/** The compiled space a stored study was created with (null for define-by-run studies). */
export function storedSpace(record: StudyRecord): CompiledSpace | undefined {
  return record.space === null ? undefined : compileSpace(JSON.parse(record.space) as SpaceDefinition);
}

// --- internal ---

function isPruner(value: unknown): value is Pruner {
  return typeof value === 'object' && value !== null && typeof (value as Pruner).shouldPrune === 'function';
}

function specToConfig(spec: PrunerSpec): { name: string; options: Record<string, unknown> } {
  if (typeof spec === 'string') return { name: spec, options: {} };
  const { name, ...options } = spec;
  return { name, options };
}

function configToSpec(config: StudyRecord['pruner']): PrunerSpec | undefined {
  return config === null ? undefined : { name: config.name, ...config.options };
}

function normalizeSampler(spec: SamplerSpec | undefined, objectives: number): { name: string; options: Record<string, unknown> } {
  if (spec === undefined) return { name: objectives > 1 ? DEFAULT_MULTI_OBJECTIVE_SAMPLER : DEFAULT_SAMPLER, options: {} };
  if (typeof spec === 'string') return { name: spec, options: {} };
  const { name, ...options } = spec;
  return { name, options };
}

/** Pruning compares one objective's intermediate values; with several it would be silently wrong (Optuna refuses it too). */
function refusePruningSeveral(name: string, objectives: Objectives, pruner: PrunerSpec | Pruner | undefined): void {
  if (objectives.directions.length === 1 || pruner === undefined) return;
  const prunerName = isPruner(pruner) ? 'a custom pruner' : typeof pruner === 'string' ? pruner : pruner.name;
  if (prunerName === 'none' || prunerName === 'nop') return;
  throw new ConfigError(`study "${name}": pruning (${prunerName}) is not supported with ${objectives.directions.length} objectives`, {
    hint: 'remove the pruner; a trial of a multi-objective study cannot be compared on one intermediate value',
  });
}

function checkCompatible(existing: StudyRecord, objectives: Objectives, space: CompiledSpace | undefined, uri: string): void {
  const where = `study "${existing.name}" in ${uri}`;
  const hint = 'pass another study name (sweep run --study NEW_NAME) to start a new study, or restore the original definition';
  const newSpace = space?.fingerprint ?? null;
  if (existing.space !== newSpace) {
    const was = existing.space === null ? 'define-by-run (no declared space)' : 'a different declared space';
    throw new StudyMismatchError(`${where} was created with ${was}; its trials would not fit this one`, { hint });
  }
  const stored = studyObjectives(existing);
  const list = (d: readonly string[]): string => d.join(', ');
  if (list(stored.directions) !== list(objectives.directions)) {
    throw new StudyMismatchError(`${where} is a ${list(stored.directions)} study, not ${list(objectives.directions)}`, { hint });
  }
  if (list(stored.metrics) !== list(objectives.metrics)) {
    const what = stored.metrics.length === 1 ? 'its objective as' : 'its objectives as';
    throw new StudyMismatchError(`${where} logs ${what} ${stored.metrics.map((m) => `"${m}"`).join(', ')}, not ${objectives.metrics.map((m) => `"${m}"`).join(', ')}`, { hint });
  }
}

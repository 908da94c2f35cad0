// defineStudy / defineObjective: what a study file default-exports. Validated at definition time.
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';
import { compileSpace, type CompiledSpace } from '../space/compile.js';
import type { InferParams, SpaceDefinition } from '../space/nodes.js';
import type { ObjectiveFn, ResultOf } from '../study/executor.js';
import type { Objectives } from '../study/objectives.js';
import type { ConstraintsFn } from '../study/trial.js';
import type { Direction } from '../tracking/entities.js';
import type { PrunerSpec } from '../pruners/index.js';
import { STUDY_OPTION_KEYS, studyOptionsSchemaOf, surelyValidStudyOptions, unknownStudyOption } from './study-options.js';

/** `'tpe'`, or `{ name: 'tpe', ...options }`. */
export type SamplerSpec = string | ({ readonly name: string } & Readonly<Record<string, unknown>>);

/** `D`, `M`: the directions and metric names as written (createStudy and defineStudy infer them). */
export interface StudyOptions<
  S extends SpaceDefinition | undefined = SpaceDefinition | undefined,
  D extends readonly Direction[] | undefined = readonly Direction[] | undefined,
  M extends readonly string[] | undefined = readonly string[] | undefined,
> {
  /** Unique within a store; running the same name again resumes the study. */
  readonly name: string;
  readonly direction?: Direction;
  /** Name the objective is logged under (default `objective`). */
  readonly metric?: string;
  /**
   * Several objectives: one direction each. The objective then returns one number per objective, as
   * an array in this order or an object keyed by metric name. Give `metrics` to name them (default
   * `objective_0`, `objective_1`, …).
   */
  readonly directions?: D;
  /** The metric name of each objective, in the order of `directions`. */
  readonly metrics?: M;
  /**
   * Constraints on a completed trial: one number per constraint, each satisfied when ≤ 0. Stored with
   * the trial; infeasible trials never join the Pareto front and samplers prefer feasible ones.
   */
  readonly constraints?: ConstraintsFn;
  /** The declared search space (omit for define-by-run with trial.suggest). */
  readonly space?: S;
  readonly sampler?: SamplerSpec;
  /** `'median'`, or `{ name: 'asha', reductionFactor: 3 }`: stops hopeless trials early. */
  readonly pruner?: PrunerSpec;
  readonly seed?: number;
  /** Experiment holding the study's runs (default: the study name). */
  readonly experiment?: string;
  /** Default trial budget for `sweep run` when --trials is not given. */
  readonly trials?: number;
  /** Tags set on the study's parent run. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface StudyDefinition<
  S extends SpaceDefinition | undefined = SpaceDefinition | undefined,
  D extends readonly Direction[] | undefined = readonly Direction[] | undefined,
  M extends readonly string[] | undefined = readonly string[] | undefined,
> extends StudyOptions<S, D, M> {
  /**
   * The objective, run on this thread or in worker threads. Give this or `command`. It returns a
   * number, or for several objectives one per direction: `[error, accuracy]` or `{ error, accuracy }`.
   */
  readonly objective?: ObjectiveFn<S extends SpaceDefinition ? InferParams<S> : Record<string, any>, ResultOf<D, M>>;
  /**
   * A command of any language run once per trial: `['python', 'train.py', '--lr', '{lr}']`.
   * It reports with JSON lines on stdout (see the README); needs a declared space. It runs in the
   * directory `sweep run` was started in, so relative paths are read from there.
   */
  readonly command?: readonly string[];
}

/** A validated definition, as defineStudy returns it. */
export interface DefinedStudy extends StudyDefinition {
  readonly compiledSpace: CompiledSpace | undefined;
}

const DEFINED = Symbol.for('sweep.study-definition');

/** Declares a study (the default export of a study file). @throws ConfigError, SearchSpaceError */
export function defineStudy<
  const S extends SpaceDefinition | undefined = undefined,
  const D extends readonly Direction[] | undefined = undefined,
  const M extends readonly string[] | undefined = undefined,
>(definition: StudyDefinition<S, D, M>): DefinedStudy {
  const { objective, command, ...options } = definition as unknown as StudyDefinition;
  parseStudyOptions(options, 'defineStudy', ['objective', 'command']);
  if (command !== undefined) {
    if (!Array.isArray(command) || command.length === 0 || command.some((a) => typeof a !== 'string')) {
      throw new ConfigError(`defineStudy "${definition.name}": command must be a non-empty array of strings, as ['python', 'train.py', '--lr', '{lr}']`);
    }
    if (definition.space === undefined) throw new ConfigError(`defineStudy "${definition.name}": a command study needs a declared space`);
  } else if (typeof objective !== 'function') {
    throw new ConfigError(`defineStudy "${definition.name}": objective must be a function (trial) => number, got ${typeof objective}`, {
      hint: 'or give command: [...] to run a program per trial',
    });
  }
  const compiledSpace = definition.space === undefined ? undefined : compileSpace(definition.space);
  const defined = { ...(definition as unknown as StudyDefinition), compiledSpace };
  Object.defineProperty(defined, DEFINED, { value: true });
  return Object.freeze(defined);
}

/** Types an objective on its own; identity at run time. */
export function defineObjective<P = Record<string, any>>(objective: ObjectiveFn<P>): ObjectiveFn<P> {
  return objective;
}

export function isDefinedStudy(value: unknown): value is DefinedStudy {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[DEFINED] === true;
}

/**
 * `others`: the keys the caller took out of `options` before (named in the hint for an unknown key).
 * @throws ConfigError listing the first problem as `path: message`.
 */
export function parseStudyOptions(options: unknown, where: string, others: readonly string[] = []): void {
  // A plain JS study file gets no excess-property check: a typo (`prunner`, `directon`) would
  // otherwise run a study without what it asked for.
  const unknown = unknownStudyOption(options);
  if (unknown !== undefined) {
    const name = (options as { name?: unknown }).name;
    throw new ConfigError(`${where}${typeof name === 'string' ? ` "${name}"` : ''}: unknown option "${unknown}"`, {
      hint: `the options are ${[...STUDY_OPTION_KEYS, ...others].join(', ')}`,
    });
  }
  const parsed = surelyValidStudyOptions(options) ? undefined : studyOptionsSchema().safeParse(options);
  if (parsed !== undefined && !parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    let got = '';
    if (issue && issue.path.length > 0) {
      let value: unknown = options;
      for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
      got = `, got ${typeof value === 'function' ? 'a function' : (JSON.stringify(value) ?? String(value))}`;
    }
    throw new ConfigError(`${where}: ${path ? `${path} ` : ''}${issue?.message ?? 'is invalid'}${got}`);
  }
  resolveObjectives(options as StudyOptions, where);
}

/**
 * The objectives a study declares: `direction`/`metric` for one, `directions`/`metrics` for several.
 * @throws ConfigError when they disagree (a count mismatch, a direction given twice, a repeated name).
 */
export function resolveObjectives(options: Pick<StudyOptions, 'name' | 'direction' | 'directions' | 'metric' | 'metrics'>, where: string): Objectives {
  const at = `${where} "${options.name}"`;
  const { direction, directions, metric, metrics } = options;
  if (directions !== undefined && direction !== undefined && (directions.length !== 1 || directions[0] !== direction)) {
    throw new ConfigError(`${at}: give direction (one objective) or directions (several), not both`);
  }
  if (metrics !== undefined && metric !== undefined && (metrics.length !== 1 || metrics[0] !== metric)) {
    throw new ConfigError(`${at}: give metric (one objective) or metrics (several), not both`);
  }
  const dirs = directions ?? (metrics !== undefined && metrics.length > 1 ? undefined : [direction ?? 'minimize']);
  if (dirs === undefined) {
    throw new ConfigError(`${at}: metrics names ${metrics?.length} objectives but directions is missing`, {
      hint: `give directions: [${(metrics ?? []).map(() => "'minimize'").join(', ')}] (or 'maximize' for each objective to maximize)`,
    });
  }
  const names = metrics ?? (dirs.length === 1 ? [metric ?? 'objective'] : dirs.map((_, i) => `objective_${i}`));
  if (names.length !== dirs.length) {
    throw new ConfigError(`${at}: ${dirs.length} directions but ${names.length} metrics; give one metric name per direction`);
  }
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) throw new ConfigError(`${at}: metric "${repeated}" is named twice; each objective needs its own metric`);
  return { directions: [...dirs], metrics: [...names] };
}

// --- internal ---

let schema: ReturnType<typeof studyOptionsSchemaOf> | undefined;

/**
 * The options' zod schema, built on first need: only for options the plain check does not vouch for
 * (mostly invalid ones, to say what is wrong). Synchronous (defineStudy is), so through require, which
 * loads zod's CommonJS build: a copy of zod of its own, whose messages are the same.
 */
function studyOptionsSchema(): ReturnType<typeof studyOptionsSchemaOf> {
  schema ??= studyOptionsSchemaOf((createRequire(import.meta.url)('zod') as typeof import('zod')).z);
  return schema;
}

// The rules for a study's options (defineStudy, createStudy), twice: as a zod schema, built from a zod
// namespace the caller passes (the server's RPC checks reuse its fields; defineStudy uses it for the
// message when options break a rule), and as a plain check that accepts only options the schema
// accepts, so defining a valid study loads no zod: a worker thread defines the study again as it loads
// the study file, and zod is the largest part of that load.
import type { z as Zod } from 'zod';
import type { ConstraintsFn } from '../study/trial.js';

const NAME = /^(?=.*[^ ])[A-Za-z0-9_\-. /:]+$/;
const NAME_RULE = "may contain letters, digits, '_', '-', '.', '/', ':' and spaces (not only spaces)";
const DIRECTIONS: readonly unknown[] = ['minimize', 'maximize'];

/** The options' schema, from the zod namespace given. */
export function studyOptionsSchemaOf(z: typeof Zod) {
  return z.object({
    name: z.string().min(1).max(250).regex(NAME, NAME_RULE),
    direction: z.enum(['minimize', 'maximize']).optional(),
    metric: z.string().min(1).max(250).regex(NAME, NAME_RULE).optional(),
    directions: z.array(z.enum(['minimize', 'maximize'])).min(1).max(16).optional(),
    metrics: z.array(z.string().min(1).max(250).regex(NAME, NAME_RULE)).min(1).max(16).optional(),
    constraints: z.custom<ConstraintsFn>((v) => typeof v === 'function', 'must be a function (trial) => number[]').optional(),
    space: z.record(z.string(), z.unknown()).optional(),
    sampler: z.union([z.string(), z.object({ name: z.string() }).passthrough()]).optional(),
    pruner: z.union([z.string(), z.object({ name: z.string() }).passthrough()]).optional(),
    seed: z.number().int().optional(),
    experiment: z.string().min(1).max(250).optional(),
    trials: z.number().int().min(0).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  });
}

/** Every option the schema reads: a key outside it (a typo such as `prunner`) is refused, not ignored. */
export const STUDY_OPTION_KEYS: readonly string[] = [
  'name', 'direction', 'metric', 'directions', 'metrics', 'constraints', 'space', 'sampler', 'pruner', 'seed', 'experiment', 'trials', 'tags',
];

/** The first key of `options` that is not a study option, if any. */
export function unknownStudyOption(options: unknown): string | undefined {
  if (!isObject(options)) return undefined;
  const o = options as Readonly<Record<string, unknown>>;
  return Object.keys(o).find((key) => !STUDY_OPTION_KEYS.includes(key) && o[key] !== undefined);
}

/**
 * Whether `options` certainly pass the schema. Where the schema's rules are subtle (records of an
 * unusual shape) it says no and leaves the verdict to the schema: it may refuse what the schema
 * accepts, never the reverse.
 */
export function surelyValidStudyOptions(options: unknown): boolean {
  if (!isObject(options)) return false;
  const o = options as Readonly<Record<string, unknown>>;
  const optional = (key: string, check: (v: unknown) => boolean): boolean => o[key] === undefined || check(o[key]);
  return (
    isName(o['name']) &&
    optional('direction', (v) => DIRECTIONS.includes(v)) &&
    optional('metric', isName) &&
    optional('directions', (v) => isArrayOf(v, 16, (d) => DIRECTIONS.includes(d))) &&
    optional('metrics', (v) => isArrayOf(v, 16, isName)) &&
    optional('constraints', (v) => typeof v === 'function') &&
    optional('space', (v) => isSimpleRecord(v, () => true)) &&
    optional('sampler', isNamedSpec) &&
    optional('pruner', isNamedSpec) &&
    optional('seed', Number.isSafeInteger) &&
    optional('experiment', (v) => typeof v === 'string' && v.length >= 1 && v.length <= 250) &&
    optional('trials', (v) => Number.isSafeInteger(v) && (v as number) >= 0) &&
    optional('tags', (v) => isSimpleRecord(v, (tag) => typeof tag === 'string'))
  );
}

// --- internal ---

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isName(v: unknown): boolean {
  return typeof v === 'string' && v.length >= 1 && v.length <= 250 && NAME.test(v);
}

function isArrayOf(v: unknown, max: number, item: (x: unknown) => boolean): boolean {
  if (!Array.isArray(v) || v.length < 1 || v.length > max) return false;
  for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
  return true;
}

/** A string, or an object with a string `name`. */
function isNamedSpec(v: unknown): boolean {
  return typeof v === 'string' || (isObject(v) && typeof (v as { name?: unknown }).name === 'string');
}

/** A plain object (prototype Object's or none, no own `constructor`, no symbol keys) whose values pass `value`. */
function isSimpleRecord(v: unknown, value: (x: unknown) => boolean): boolean {
  if (!isObject(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Object.hasOwn(v, 'constructor') || Object.getOwnPropertySymbols(v).length > 0) return false;
  for (const key of Object.keys(v)) if (!value((v as Record<string, unknown>)[key])) return false;
  return true;
}

// Option validation shared by every pruner: zod building blocks and the one-line ConfigError format
// `pruner "median": nWarmupSteps: expected a non-negative integer`.
import { z } from 'zod';
import { ConfigError } from '../errors.js';

const NON_NEGATIVE_INT = 'expected a non-negative integer';
const POSITIVE_INT = 'expected a positive integer';

/** @internal */
export const nonNegativeInt = z.number(NON_NEGATIVE_INT).int(NON_NEGATIVE_INT).min(0, NON_NEGATIVE_INT);
/** @internal */
export const positiveInt = z.number(POSITIVE_INT).int(POSITIVE_INT).min(1, POSITIVE_INT);
/** @internal */
export const finiteNumber = z.number('expected a finite number');
/** @internal */
export const reductionFactor = z.number('expected an integer >= 2').int('expected an integer >= 2').min(2, 'expected an integer >= 2');
/** @internal `'auto'` or a positive integer. */
export const autoOrPositiveInt = z.union([z.literal('auto'), positiveInt], { error: 'expected "auto" or a positive integer' });

/**
 * Validates `input` against a pruner's options schema and returns the parsed options.
 * @throws ConfigError naming the pruner and the first option at fault (unknown options first).
 * @internal
 */
export function parsePrunerOptions<T>(pruner: string, schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const known = schema instanceof z.ZodObject ? Object.keys(schema.shape as object) : [];
    const names = issue.keys.map((k) => `"${k}"`).join(', ');
    throw new ConfigError(`pruner "${pruner}": unknown option ${names}`, {
      hint: known.length > 0 ? `options of "${pruner}": ${known.join(', ')}` : `"${pruner}" takes no options`,
    });
  }
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new ConfigError(`pruner "${pruner}": ${where}${issue?.message ?? 'invalid options'}`);
}

// Checks of distribution arguments (zod), with messages that name the parameter's source path:
// `space.model[1].depth: quniform needs q > 0, got q=0`.
import { z } from 'zod';
import { SearchSpaceError } from '../errors.js';
import type { Distribution } from './distributions.js';
import type { DistNode } from './nodes.js';

const num = z.number().finite();
const bounds = z.object({ low: num, high: num });

const schemas = {
  uniform: bounds.refine((a) => a.low < a.high, { message: 'needs low < high' }),
  loguniform: bounds
    .refine((a) => a.low > 0, { message: 'needs low > 0 (bounds are on the natural scale)' })
    .refine((a) => a.low < a.high, { message: 'needs low < high' }),
  quniform: bounds
    .extend({ q: num })
    .refine((a) => a.q > 0, { message: 'needs q > 0' })
    .refine((a) => a.low < a.high, { message: 'needs low < high' }),
  qloguniform: bounds
    .extend({ q: num })
    .refine((a) => a.q > 0, { message: 'needs q > 0' })
    .refine((a) => a.low > 0, { message: 'needs low > 0 (bounds are on the natural scale)' })
    .refine((a) => a.low < a.high, { message: 'needs low < high' }),
  randint: bounds
    .refine((a) => Number.isInteger(a.low) && Number.isInteger(a.high), { message: 'needs integer bounds' })
    .refine((a) => a.low < a.high, { message: 'needs low < high (high is exclusive)' }),
  normal: z.object({ mu: num, sigma: num }).refine((a) => a.sigma > 0, { message: 'needs sigma > 0' }),
  qnormal: z
    .object({ mu: num, sigma: num, q: num })
    .refine((a) => a.sigma > 0, { message: 'needs sigma > 0' })
    .refine((a) => a.q > 0, { message: 'needs q > 0' }),
  lognormal: z.object({ mu: num, sigma: num }).refine((a) => a.sigma > 0, { message: 'needs sigma > 0' }),
} as const;

const ARGS: Record<keyof typeof schemas, readonly string[]> = {
  uniform: ['low', 'high'],
  loguniform: ['low', 'high'],
  quniform: ['low', 'high', 'q'],
  qloguniform: ['low', 'high', 'q'],
  randint: ['low', 'high'],
  normal: ['mu', 'sigma'],
  qnormal: ['mu', 'sigma', 'q'],
  lognormal: ['mu', 'sigma'],
};

/** Validates a numeric node and returns its flat distribution. */
export function validateNumeric(node: DistNode, path: string): Distribution {
  const kind = node.$dist;
  if (kind === 'choice' || !(kind in schemas)) {
    throw new SearchSpaceError(`${path}: unknown distribution "${kind}"`, {
      hint: `use one of hp.${[...Object.keys(schemas), 'choice', 'pchoice'].join(', hp.')}`,
    });
  }
  const schema = schemas[kind as keyof typeof schemas];
  const args = node as unknown as Record<string, unknown>;
  const result = schema.safeParse(args);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path[0];
    const rule =
      issue?.code === 'custom'
        ? issue.message
        : `needs a finite number for ${String(field ?? 'its arguments')}`;
    throw new SearchSpaceError(`${path}: ${kind} ${rule}, got ${formatArgs(kind, args)}`);
  }
  const names = ARGS[kind as keyof typeof schemas];
  const out: Record<string, unknown> = { kind };
  for (const name of names) out[name] = args[name];
  return out as Distribution;
}

/** Validates choice/pchoice probabilities. */
export function validateProbs(probs: readonly unknown[], count: number, path: string): number[] {
  const parsed = z.array(z.number().finite().min(0)).length(count).safeParse(probs);
  if (!parsed.success) {
    throw new SearchSpaceError(
      `${path}: pchoice needs [[probability, option], ...] pairs with probabilities >= 0, got ${JSON.stringify(probs)}`,
    );
  }
  const sum = parsed.data.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) {
    throw new SearchSpaceError(`${path}: pchoice probabilities must sum to 1, got ${sum}`);
  }
  return parsed.data;
}

// --- internal ---

function formatArgs(kind: string, args: Record<string, unknown>): string {
  const names = ARGS[kind as keyof typeof schemas] ?? [];
  return names.map((n) => `${n}=${formatValue(args[n])}`).join(', ');
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

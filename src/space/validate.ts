// Checks of distribution arguments, with messages that name the parameter's source path:
// `space.model[1].depth: quniform needs q > 0, got q=0`. Plain code, not a schema library: a worker
// thread compiles the study's space as it loads the study file, and this keeps that load light.
import { SearchSpaceError } from '../errors.js';
import type { Distribution } from './distributions.js';
import type { DistNode } from './nodes.js';

type Args = Readonly<Record<string, unknown>>;
/** A distribution's arguments (each must be a finite number) and its rules, checked in order. */
interface Rules {
  readonly args: readonly string[];
  readonly rules: readonly (readonly [(a: Args) => boolean, string])[];
}

const n = (v: unknown): number => v as number;
const lowBelowHigh = [(a: Args) => n(a['low']) < n(a['high']), 'needs low < high'] as const;
const positiveLow = [(a: Args) => n(a['low']) > 0, 'needs low > 0 (bounds are on the natural scale)'] as const;
const positiveQ = [(a: Args) => n(a['q']) > 0, 'needs q > 0'] as const;
const positiveSigma = [(a: Args) => n(a['sigma']) > 0, 'needs sigma > 0'] as const;

const KINDS: Record<string, Rules> = {
  uniform: { args: ['low', 'high'], rules: [lowBelowHigh] },
  loguniform: { args: ['low', 'high'], rules: [positiveLow, lowBelowHigh] },
  quniform: { args: ['low', 'high', 'q'], rules: [positiveQ, lowBelowHigh] },
  qloguniform: { args: ['low', 'high', 'q'], rules: [positiveQ, positiveLow, lowBelowHigh] },
  randint: {
    args: ['low', 'high'],
    rules: [
      [(a) => Number.isInteger(a['low']) && Number.isInteger(a['high']), 'needs integer bounds'],
      [(a) => n(a['low']) < n(a['high']), 'needs low < high (high is exclusive)'],
    ],
  },
  normal: { args: ['mu', 'sigma'], rules: [positiveSigma] },
  qnormal: { args: ['mu', 'sigma', 'q'], rules: [positiveSigma, positiveQ] },
  lognormal: { args: ['mu', 'sigma'], rules: [positiveSigma] },
};

/** Validates a numeric node and returns its flat distribution. */
export function validateNumeric(node: DistNode, path: string): Distribution {
  const kind = node.$dist;
  const known = kind === 'choice' || !Object.hasOwn(KINDS, kind) ? undefined : KINDS[kind];
  if (known === undefined) {
    throw new SearchSpaceError(`${path}: unknown distribution "${kind}"`, {
      hint: `use one of hp.${[...Object.keys(KINDS), 'choice', 'pchoice'].join(', hp.')}`,
    });
  }
  const args = node as unknown as Args;
  // The first argument that is not a finite number, else the first rule broken.
  const field = typeof args !== 'object' || args === null ? null : known.args.find((name) => !isFiniteNumber(args[name]));
  let rule: string | undefined;
  if (field !== undefined) rule = `needs a finite number for ${field ?? 'its arguments'}`;
  else rule = known.rules.find(([holds]) => !holds(args))?.[1];
  if (rule !== undefined) throw new SearchSpaceError(`${path}: ${kind} ${rule}, got ${formatArgs(known, args)}`);
  const out: Record<string, unknown> = { kind };
  for (const name of known.args) out[name] = args[name];
  return out as Distribution;
}

/** Validates choice/pchoice probabilities. */
export function validateProbs(probs: readonly unknown[], count: number, path: string): number[] {
  const valid = Array.isArray(probs) && probs.length === count;
  const out: number[] = [];
  for (let i = 0; valid && i < probs.length; i++) {
    const p = probs[i];
    if (!isFiniteNumber(p) || p < 0) break;
    out.push(p);
  }
  if (!valid || out.length !== count) {
    throw new SearchSpaceError(
      `${path}: pchoice needs [[probability, option], ...] pairs with probabilities >= 0, got ${JSON.stringify(probs)}`,
    );
  }
  const sum = out.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-6) {
    throw new SearchSpaceError(`${path}: pchoice probabilities must sum to 1, got ${sum}`);
  }
  return out;
}

// --- internal ---

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function formatArgs(known: Rules, args: Args): string {
  return known.args.map((name) => `${name}=${formatValue(args?.[name])}`).join(', ');
}

function formatValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

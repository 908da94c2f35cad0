// GridSampler: every combination of the declared space's values, each run exactly once. Conditional
// spaces enumerate only the parameters active under each branch. A trial claims its grid cell with a
// claim key the store holds once per study, so resumed studies and concurrent processes never repeat one.
import { ConfigError, SearchSpaceError } from '../src/errors.js';
import { createRng } from '../src/rng.js';
import { contains, gridValues, type CompiledSpace, type Distribution, type ParamSpec } from '../src/space/index.js';
import type { BeforeTrialContext, Sampler, SamplerContext, StudyView, TrialClaim } from '../src/study/sampler.js';

export interface GridOptions {
  /** Explicit values for parameters (flat names), required for continuous distributions. */
  readonly values?: Readonly<Record<string, readonly number[]>>;
  /** Visit the grid in a seeded random order (default) or in enumeration order. */
  readonly shuffle?: boolean;
}

const CLAIM_PREFIX = 'grid:';

export class GridSampler implements Sampler {
  readonly name = 'grid';
  /** Every grid point, in visiting order. */
  readonly points: readonly Readonly<Record<string, number>>[];

  /** @throws ConfigError for a space without a finite grid. */
  constructor(space: CompiledSpace | undefined, seed: number, options: GridOptions = {}) {
    if (!space) throw new ConfigError('grid sampler needs a declared space (define-by-run studies have none)');
    const explicit = options.values ?? {};
    for (const name of Object.keys(explicit)) {
      if (!space.params.has(name)) throw new ConfigError(`grid sampler: values given for "${name}", which is not a parameter of the space`);
    }
    const points = enumerate(space, (spec) => valuesFor(spec, explicit[spec.name]));
    if (options.shuffle ?? true) shuffle(points, seed);
    this.points = points;
  }

  beforeTrial(ctx: BeforeTrialContext): TrialClaim {
    const claimed = claimedIndices(ctx.study);
    for (let i = 0; i < this.points.length; i++) {
      if (!claimed.has(i)) return { claimKey: `${CLAIM_PREFIX}${i}`, systemAttrs: { gridIndex: i } };
    }
    throw new ConfigError('grid sampler: every grid point has been claimed');
  }

  inferRelativeSpace(ctx: SamplerContext): Readonly<Record<string, Distribution>> {
    const space = ctx.study.space;
    const out: Record<string, Distribution> = {};
    if (space) for (const [name, spec] of space.params) out[name] = spec.distribution;
    return out;
  }

  sampleRelative(ctx: SamplerContext): Record<string, number> {
    return { ...this.pointOf(ctx) };
  }

  sampleIndependent(_ctx: SamplerContext, name: string): number {
    throw new ConfigError(`grid sampler: parameter "${name}" is not in the declared space, so it has no grid values`);
  }

  isExhausted(study: StudyView): boolean {
    return claimedIndices(study).size >= this.points.length;
  }

  private pointOf(ctx: SamplerContext): Readonly<Record<string, number>> {
    const index = ctx.trial.systemAttrs['gridIndex'];
    const point = typeof index === 'number' ? this.points[index] : undefined;
    if (!point) throw new ConfigError(`grid sampler: trial #${ctx.trial.number} holds no grid point`);
    return point;
  }
}

/** All assignments of a (possibly conditional) space: an odometer over the values met along each path. */
export function enumerate(space: CompiledSpace, valuesOf: (spec: ParamSpec) => readonly number[]): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  const digits: number[] = [];
  for (;;) {
    const sizes: number[] = [];
    let position = 0;
    const { flat } = space.resolve((spec) => {
      const values = valuesOf(spec);
      sizes[position] = values.length;
      const digit = digits[position] ?? 0;
      digits[position] = digit;
      position++;
      return values[digit] as number;
    });
    digits.length = position;
    out.push(flat);
    let i = position - 1;
    while (i >= 0 && (digits[i] as number) + 1 >= (sizes[i] as number)) i--;
    if (i < 0) return out;
    digits[i] = (digits[i] as number) + 1;
    digits.length = i + 1;
  }
}

// --- internal ---

function valuesFor(spec: ParamSpec, explicit: readonly number[] | undefined): readonly number[] {
  if (explicit !== undefined) {
    if (!Array.isArray(explicit) || explicit.length === 0) {
      throw new ConfigError(`grid sampler: values for "${spec.name}" must be a non-empty array of numbers`);
    }
    for (const v of explicit) {
      if (typeof v !== 'number' || !contains(spec.distribution, v)) {
        throw new SearchSpaceError(`grid sampler: value ${String(v)} for "${spec.name}" is outside ${spec.sourcePath} (${spec.distribution.kind})`);
      }
    }
    return explicit;
  }
  const values = gridValues(spec.distribution);
  if (values === undefined) {
    throw new ConfigError(
      `grid sampler: ${spec.sourcePath} is ${spec.distribution.kind} (continuous), so it has no grid`,
      { hint: `give its values: sampler: { name: 'grid', values: { '${spec.name}': [ ... ] } }, or use a quantized distribution` },
    );
  }
  return values;
}

function claimedIndices(study: StudyView): Set<number> {
  const claimed = new Set<number>();
  for (const t of study.trials) {
    const index = t?.systemAttrs['gridIndex'];
    if (typeof index === 'number') claimed.add(index);
  }
  return claimed;
}

function shuffle<T>(items: T[], seed: number): void {
  const rng = createRng(seed, 'grid-order');
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i] as T;
    items[i] = items[j] as T;
    items[j] = tmp;
  }
}

// The arguments of each /api/2.0/sweep/store/<method> call, checked before the store sees them: the
// TrackingStore types as zod schemas, built on the library's own rules (study and metric names from
// defineStudy's schema, distributions from the search-space validators, lengths from MLflow's limits). A call that does not fit is a 400 naming the argument at fault.
import { z } from 'zod';
import { studyOptionsSchemaOf } from '../study-file/study-options.js';
import { isSweepError } from '../errors.js';
import { validateNumeric, validateProbs } from '../space/validate.js';
import type { DistNode } from '../space/nodes.js';
import type { StoreRpcMethod } from '../tracking/http/wire.js';
import { invalidParameter, type ApiError } from './errors.js';
import { LIMITS } from './validation.js';

const studyOptionsSchema = studyOptionsSchemaOf(z);

/** Checks `args` for `method`. @throws 400 INVALID_PARAMETER_VALUE naming the argument */
export function checkRpcArgs(method: StoreRpcMethod, args: unknown): unknown[] {
  const parsed = RPC_ARGS[method].safeParse(args);
  if (parsed.success) return args as unknown[];
  throw describe(method, args, parsed.error);
}

/** Most trials, params or points one call may carry (bounded work per request). */
export const RPC_LIST_LIMIT = 10_000;

// --- internal ---

const int = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer');
const id = int.min(0);
const time = int.min(0);
// NaN and ±Infinity arrive boxed and are decoded before the check: every double is a number here.
const number = z.custom<number>((v) => typeof v === 'number', 'must be a number');
const shortText = z.string().max(LIMITS.keyLength);

/** Runs one of the library's throwing validators as a zod check. */
function using<T>(check: (value: T) => void): (value: T, ctx: z.RefinementCtx) => void {
  return (value, ctx) => {
    try {
      check(value);
    } catch (error) {
      if (!isSweepError(error)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  };
}

const NUMERIC_KINDS = ['uniform', 'loguniform', 'quniform', 'qloguniform', 'randint', 'normal', 'qnormal', 'lognormal'] as const;

const numericDistribution = z
  .object({ kind: z.enum(NUMERIC_KINDS) })
  .catchall(number)
  .superRefine(using((d) => {
    const { kind, ...args } = d;
    validateNumeric({ ...args, $dist: kind } as unknown as DistNode, 'distribution');
  }));

const choiceDistribution = z
  .strictObject({
    kind: z.literal('choice'),
    n: int.min(1).max(RPC_LIST_LIMIT),
    probs: z.array(number).optional(),
    labels: z.array(z.string().max(LIMITS.paramValueLength)),
    constants: z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.labels.length !== d.n) ctx.addIssue({ code: 'custom', message: `choice has n=${d.n} but ${d.labels.length} labels` });
    if (d.constants !== undefined && d.constants.length !== d.n) ctx.addIssue({ code: 'custom', message: `choice has n=${d.n} but ${d.constants.length} constants` });
    if (d.probs !== undefined) using((p: number[]) => validateProbs(p, d.n, 'distribution'))(d.probs, ctx);
  });

const distribution = z.union([numericDistribution, choiceDistribution]);

const paramInput = z.strictObject({
  name: z.string().min(1).max(LIMITS.keyLength),
  value: number.refine(Number.isFinite, 'must be a finite number'),
  distribution,
  label: z.string().max(LIMITS.paramValueLength),
});

// Keys as the stores take them from the library (any text up to MLflow's length limits): an objective's
// metric or tag that a local store accepts must not be refused through a server.
const metric = z.strictObject({ key: z.string().min(1).max(LIMITS.keyLength), value: number, timestamp: time, step: int });

const tags = z
  .record(z.string().min(1).max(LIMITS.keyLength), z.string().max(LIMITS.tagValueLength))
  .refine((t) => Object.keys(t).length <= RPC_LIST_LIMIT, `at most ${RPC_LIST_LIMIT} tags`);

const jsonRecord = z.record(z.string(), z.unknown());
const samplerConfig = z.strictObject({ name: shortText.min(1), options: jsonRecord.optional() });
const intermediate = z.strictObject({ step: int, value: number, timestamp: time });
const list = <T extends z.ZodType>(item: T) => z.array(item).max(RPC_LIST_LIMIT);

const newStudy = z.strictObject({
  name: studyOptionsSchema.shape.name,
  experimentName: z.string().min(1).max(LIMITS.experimentNameLength).optional(),
  directions: z.array(z.enum(['minimize', 'maximize'])).min(1).max(64),
  metric: studyOptionsSchema.shape.metric.unwrap(),
  metrics: z.array(studyOptionsSchema.shape.metric.unwrap()).min(1).max(64).optional(),
  space: z.string().max(16 * 1024 * 1024).nullable(),
  sampler: samplerConfig,
  pruner: samplerConfig.nullable().optional(),
  seed: int,
  tags: tags.optional(),
});

const newTrial = z.strictObject({
  state: z.enum(['RUNNING', 'WAITING']).optional(),
  startTime: time.optional(),
  workerId: shortText.optional(),
  claimKey: shortText.optional(),
  systemAttrs: jsonRecord.optional(),
  expectedNumber: id.optional(),
  params: list(paramInput).optional(),
  maxTrials: id.optional(),
});

const trialProgress = z.strictObject({
  intermediate: list(intermediate).optional(),
  metrics: list(metric).optional(),
  tags: tags.optional(),
  heartbeat: time.optional(),
});

const trialFinish = z.strictObject({
  state: z.enum(['COMPLETE', 'PRUNED', 'FAIL']),
  value: number.optional(),
  values: z.array(number).min(1).max(64).optional(),
  endTime: time.optional(),
  metrics: list(metric).optional(),
  tags: tags.optional(),
  systemAttrs: jsonRecord.optional(),
  intermediate: list(intermediate).optional(),
  params: list(paramInput).optional(),
  onlyIfHeartbeatBefore: int.optional(),
});

const RPC_ARGS: Readonly<Record<StoreRpcMethod, z.ZodType>> = {
  createStudy: z.tuple([newStudy]),
  getStudy: z.tuple([z.string().max(LIMITS.keyLength)]),
  listStudies: z.tuple([]),
  createTrial: z.tuple([id, newTrial]),
  claimWaitingTrial: z.tuple([id, shortText]),
  setTrialParams: z.tuple([id, list(paramInput)]),
  recordTrialProgress: z.tuple([id, trialProgress]),
  finishTrial: z.tuple([id, trialFinish]),
  heartbeat: z.tuple([list(id), time]),
  getTrials: z.tuple([id]),
  syncTrials: z.tuple([id, id.optional()]),
  clock: z.tuple([]),
};

function describe(method: StoreRpcMethod, args: unknown, error: z.ZodError): ApiError {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  let value: unknown = args;
  for (const key of issue?.path ?? []) value = (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
  const got = value === undefined ? 'nothing' : preview(value);
  return invalidParameter(`Invalid argument to ${method}: args${path} ${issue?.message ?? 'is invalid'}, got ${got}`);
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

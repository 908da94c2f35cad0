// The parsed form of a run filter and of order_by keys, and the table of searchable run attributes.
// Both backends (compile-sqlite.ts, evaluate-memory.ts) read only these types, never filter text.

/**
 * Where a key lives: a run's latest metric, a param, a tag, a column of the run itself, or a field of
 * the datasets the run used (a run matches when any of its dataset inputs does).
 */
export type Target = SortableTarget | DatasetTarget;

/** The targets order_by accepts (MLflow does not order runs by dataset). */
export type SortableTarget =
  | { readonly type: 'metric' | 'param' | 'tag'; readonly key: string }
  | { readonly type: 'attribute'; readonly key: AttributeName };

/** `datasets.name`, `datasets.digest`, `datasets.context` (the `mlflow.data.context` input tag). */
export type DatasetTarget = { readonly type: 'dataset'; readonly key: DatasetField };
export type DatasetField = 'name' | 'digest' | 'context';
export const DATASET_FIELDS: readonly DatasetField[] = ['name', 'digest', 'context'];

export type NumericOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type StringOp = '=' | '!=' | 'LIKE' | 'ILIKE';

/**
 * One clause. `number` compares a metric, a numeric attribute, or (extension) a param whose value is
 * a JSON number; `string` compares a param, a tag or a string attribute; `in` is for run_id only;
 * `null` (extension) tests whether the key is absent.
 */
export type Condition =
  | { readonly kind: 'number'; readonly target: Target; readonly op: NumericOp; readonly value: number }
  | { readonly kind: 'string'; readonly target: Target; readonly op: StringOp; readonly value: string }
  | { readonly kind: 'in'; readonly target: Target; readonly negated: boolean; readonly values: readonly string[] }
  | { readonly kind: 'null'; readonly target: Target; readonly negated: boolean };

/** A filter: clauses joined by AND, and (extension) by OR with parentheses. AND binds tighter. */
export type FilterExpr =
  | Condition
  | { readonly kind: 'and'; readonly items: readonly FilterExpr[] }
  | { readonly kind: 'or'; readonly items: readonly FilterExpr[] };

export interface OrderKey {
  readonly target: SortableTarget;
  readonly descending: boolean;
}

export type AttributeName = 'run_id' | 'run_name' | 'status' | 'user_id' | 'artifact_uri' | 'start_time' | 'end_time';

export interface AttributeSpec {
  /** Column of the `runs` table (the only place a name reaches SQL text; never user input). */
  readonly column: string;
  readonly valueType: 'string' | 'number';
  /** Whether the column may be NULL (a running run has no end_time). */
  readonly isNullable: boolean;
}

/** Searchable and orderable run attributes (MLflow's list; lifecycle_stage and experiment_id are not). */
export const ATTRIBUTES: Readonly<Record<AttributeName, AttributeSpec>> = {
  run_id: { column: 'run_id', valueType: 'string', isNullable: false },
  // MLflow filters run_name on the mlflow.runName tag; both stores keep runs.name equal to it.
  run_name: { column: 'name', valueType: 'string', isNullable: false },
  status: { column: 'status', valueType: 'string', isNullable: false },
  user_id: { column: 'user_id', valueType: 'string', isNullable: false },
  artifact_uri: { column: 'artifact_uri', valueType: 'string', isNullable: false },
  start_time: { column: 'start_time', valueType: 'number', isNullable: false },
  end_time: { column: 'end_time', valueType: 'number', isNullable: true },
};

/** Other spellings MLflow accepts for attribute keys. */
export const ATTRIBUTE_ALIASES: Readonly<Record<string, AttributeName>> = {
  'run name': 'run_name',
  'Run name': 'run_name',
  'Run Name': 'run_name',
  created: 'start_time',
  Created: 'start_time',
};

/** The attribute's key, or undefined when the name is not a searchable attribute. */
export function resolveAttribute(name: string): AttributeName | undefined {
  if (Object.hasOwn(ATTRIBUTES, name)) return name as AttributeName;
  return ATTRIBUTE_ALIASES[name];
}

/** `metrics.loss`, `params.\`my key\``: a target in filter syntax, for messages. */
export function formatTarget(target: Target): string {
  const prefix = { metric: 'metrics', param: 'params', tag: 'tags', attribute: 'attributes', dataset: 'datasets' }[target.type];
  const key = /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(target.key) ? target.key : `\`${target.key}\``;
  return `${prefix}.${key}`;
}

/** Whether two targets name the same key. */
export function sameTarget(a: Target, b: Target): boolean {
  return a.type === b.type && a.key === b.key;
}

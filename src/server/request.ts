// Reads MLflow request fields the way MLflow does: by snake_case name, from the query string (GET)
// or the JSON body (POST), with proto3-JSON leniency (int64 as number or decimal string, NaN as text).
import { invalidParameter } from './errors.js';

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

/** Typed access to the fields of one request (or of one element of a repeated field). */
export class Fields {
  /**
   * @param prefix names nested fields in messages, as in `metrics[0].`
   * @param isQuery a query string, where a key given twice arrives as a list (a JSON body's list is a list)
   */
  constructor(
    private readonly input: Readonly<Record<string, unknown>>,
    private readonly prefix = '',
    private readonly isQuery = false,
  ) {}

  static of(value: unknown, prefix = ''): Fields {
    if (value === undefined || value === null) return new Fields({}, prefix);
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw invalidParameter(`Invalid value ${preview(value)} for parameter '${prefix.replace(/\.$/, '') || 'body'}' supplied: expected a JSON object`);
    }
    return new Fields(value as Record<string, unknown>, prefix);
  }

  /** The fields of a query string (Fastify's parsed `request.query`). */
  static ofQuery(query: unknown): Fields {
    return new Fields((query ?? {}) as Record<string, unknown>, '', true);
  }

  /** The field as decoded from JSON, unchecked. */
  value(name: string): unknown {
    return this.input[name];
  }

  /** A string field; empty counts as absent. Numbers are taken as their decimal text. */
  string(name: string): string | undefined {
    const raw = this.single(name);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw === 'string') return raw;
    if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
    throw this.invalid(name, raw, 'expected a string');
  }

  /** A string field that may be empty (a tag or param value). */
  text(name: string): string | undefined {
    const raw = this.single(name);
    if (raw === '') return '';
    return this.string(name);
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined) throw this.missing(name);
    return value;
  }

  /** `run_id`, or the deprecated `run_uuid` when run_id is absent or empty. */
  runId(): string {
    const value = this.string('run_id') ?? this.string('run_uuid');
    if (value === undefined) throw this.missing('run_id');
    return value;
  }

  /**
   * An int64: a JSON integer or a decimal string, within ±(2^53-1), the integers a double holds
   * exactly: past them a value is refused (400 naming the field), never rounded to a neighbour.
   */
  int64(name: string): number | undefined {
    const raw = this.single(name);
    if (raw === undefined || raw === null || raw === '') return undefined;
    const value = typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw this.invalid(name, raw, 'expected an integer');
    if (!Number.isSafeInteger(value)) {
      throw this.invalid(name, raw, `sweep keeps integers exactly only from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} (2^53-1) and refuses larger int64 values rather than round them`);
    }
    return value;
  }

  /** A double: a JSON number, a numeric string, or "NaN", "Infinity", "-Infinity". Booleans are refused. */
  double(name: string): number | undefined {
    const raw = this.single(name);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw === 'number') return raw;
    if (typeof raw === 'string') {
      const special = SPECIAL_DOUBLES[raw.trim()];
      if (special !== undefined) return special;
      // Decimal text only, as a proto3 JSON parser reads it: Number() would also take '0x10' as 16.
      if (DECIMAL.test(raw.trim())) return Number(raw);
    }
    throw this.invalid(name, raw, 'expected a number');
  }

  /** A boolean: JSON true/false, or "true"/"false" (any case) from a query string. */
  boolean(name: string): boolean | undefined {
    const raw = this.single(name);
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (typeof raw === 'boolean') return raw;
    if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
    throw this.invalid(name, raw, 'expected true or false');
  }

  /** An enum, by name (case-insensitive) or by its proto number. */
  enumValue<T extends string>(name: string, values: Readonly<Record<T, number>>): T | undefined {
    const raw = this.single(name);
    if (raw === undefined || raw === null || raw === '') return undefined;
    for (const [label, number] of Object.entries(values) as [T, number][]) {
      if (raw === number || (typeof raw === 'string' && (raw.toUpperCase() === label || raw === String(number)))) return label;
    }
    throw this.invalid(name, raw, `expected one of ${Object.keys(values).join(', ')}`);
  }

  /** A repeated string field: a JSON array, or the repeated query key. */
  stringList(name: string): string[] {
    const raw = this.input[name];
    if (raw === undefined || raw === null) return [];
    const items = Array.isArray(raw) ? raw : [raw];
    return items.map((item, i) => {
      if (typeof item === 'string') return item;
      if (typeof item === 'number' && Number.isFinite(item)) return String(item);
      throw this.invalid(`${name}[${i}]`, item, 'expected a string');
    });
  }

  /** A repeated message field, each element read with its own Fields (`metrics[3].`). */
  messages(name: string): Fields[] {
    const raw = this.input[name];
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw this.invalid(name, raw, 'expected a list');
    return raw.map((item, i) => Fields.of(item, `${this.prefix}${name}[${i}].`));
  }

  /** A nested message field (`datasets[0].dataset.`), or undefined when absent. */
  message(name: string): Fields | undefined {
    const raw = this.input[name];
    if (raw === undefined || raw === null) return undefined;
    return Fields.of(raw, `${this.prefix}${name}.`);
  }

  /** A repeated `{key, value}` field (tags, params): key required, value a string (may be empty). */
  keyValues(name: string): KeyValue[] {
    return this.messages(name).map((f) => ({ key: f.requiredString('key'), value: f.text('value') ?? '' }));
  }

  missing(name: string): Error {
    return invalidParameter(
      `Missing value for required parameter '${this.prefix}${name}'. See the API docs for more information about request parameters.`,
    );
  }

  invalid(name: string, raw: unknown, why: string): Error {
    return invalidParameter(`Invalid value ${preview(raw)} for parameter '${this.prefix}${name}' supplied: ${why}`);
  }

  // --- internal ---

  /** A query key given twice arrives as an array: the first value counts. In a JSON body it is a wrong type. */
  private single(name: string): unknown {
    const raw = this.input[name];
    return this.isQuery && Array.isArray(raw) && raw.every((v) => typeof v === 'string') ? raw[0] : raw;
  }
}

/** How deep a request's JSON may nest: far past any real message, far below a stack overflow. */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses JSON text nesting deeper than `max` arrays and objects, in one pass over the text (before
 * JSON.parse, and before anything recursive walks the value). @throws 400 INVALID_PARAMETER_VALUE
 */
export function checkJsonDepth(text: string, max = MAX_JSON_DEPTH, what = 'request body'): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) throw invalidParameter(`Malformed ${what}: JSON nests deeper than ${max} levels`);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
}

/** Proto3 JSON for doubles: NaN and infinities travel as strings. */
export function doubleJson(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

// --- internal ---

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const SPECIAL_DOUBLES: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  nan: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  inf: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
  '-inf': Number.NEGATIVE_INFINITY,
};

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

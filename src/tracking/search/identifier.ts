// Identifiers shared by filters and order_by: `[prefix.]key` with MLflow's prefixes, keys bare or
// quoted with backticks or double quotes, and no prefix meaning a run attribute.
import { ATTRIBUTES, DATASET_FIELDS, resolveAttribute, type DatasetField, type Target } from './ast.js';
import { describeToken, type Lexer, type Token } from './lexer.js';

export interface ParsedIdentifier {
  readonly target: Target;
  /** The identifier as written, for messages. */
  readonly text: string;
  readonly start: number;
}

/** Words that end or join clauses; a clause never starts with one. */
export const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'ILIKE', 'ASC', 'DESC']);

/**
 * Reads one identifier. `expected` names it in messages ("an identifier", "a key to order by").
 * @throws ConfigError naming the column
 */
export function parseIdentifier(lx: Lexer, expected: string): ParsedIdentifier {
  const first = lx.next();
  const start = first.start;
  let end = first.end;
  let prefix: string | undefined;
  let key: string;
  if (first.type === 'word' && !first.text.includes('.') && KEYWORDS.has(first.text.toUpperCase())) {
    return lx.fail(`expected ${expected}, got ${first.text}`, start);
  } else if (first.type === 'word') {
    const dot = first.text.indexOf('.');
    if (dot < 0) {
      key = first.text;
    } else {
      prefix = first.text.slice(0, dot);
      key = first.text.slice(dot + 1);
      if (key === '') ({ key, end } = quotedKeyAfter(lx, first, first.text));
    }
  } else if (first.type === 'string' && first.quote !== '\'') {
    const dot = lx.peek();
    if (dot.type === 'punct' && dot.text === '.' && dot.start === first.end) {
      lx.next();
      prefix = first.value;
      const next = lx.peek();
      if (next.type === 'word' && next.start === dot.end) {
        lx.next();
        ({ text: key, end } = next);
      } else {
        ({ key, end } = quotedKeyAfter(lx, dot, `${first.text}.`));
      }
    } else {
      key = first.value;
    }
  } else {
    const hint = first.type === 'string' ? 'single quotes are for values; quote keys with backticks or double quotes' : undefined;
    return lx.fail(first.type === 'eof' ? `expected ${expected}` : `expected ${expected}, got ${describeToken(first)}`, start, hint);
  }
  const text = lx.input.slice(start, end);
  return { target: resolveTarget(lx, prefix, key, text, start), text, start };
}

// --- internal ---

const PREFIXES: Readonly<Record<string, Target['type'] | 'dataset'>> = {
  metric: 'metric', metrics: 'metric',
  param: 'param', params: 'param', parameter: 'param', parameters: 'param',
  tag: 'tag', tags: 'tag',
  attribute: 'attribute', attributes: 'attribute', attr: 'attribute', run: 'attribute',
  dataset: 'dataset', datasets: 'dataset',
};

/** The quoted key right after `prefix.` (no space between). */
function quotedKeyAfter(lx: Lexer, before: Token, written: string): { key: string; end: number } {
  const next = lx.peek();
  if (next.type === 'string' && next.quote !== '\'' && next.start === before.end) {
    lx.next();
    return { key: next.value, end: next.end };
  }
  const hint = next.type === 'string' && next.quote === '\''
    ? 'single quotes are for values; quote keys with backticks or double quotes'
    : 'write the key right after the dot, quoted with backticks or double quotes when it has spaces or punctuation';
  return lx.fail(`expected a key after ${written}`, next.start, hint);
}

function resolveTarget(lx: Lexer, prefix: string | undefined, key: string, text: string, start: number): Target {
  const type = prefix === undefined ? 'attribute' : PREFIXES[prefix.toLowerCase()];
  if (type === undefined) {
    lx.fail(`unknown entity type '${prefix}' in ${text}`, start, 'prefixes are metrics., params., tags., attributes. and datasets.');
  }
  if (key === '') lx.fail(`empty key in ${text}`, start);
  if (type === 'dataset') {
    if (!DATASET_FIELDS.includes(key as DatasetField)) lx.fail(`unknown dataset key '${key}' (valid: ${DATASET_FIELDS.join(', ')})`, start);
    return { type, key: key as DatasetField };
  }
  if (type !== 'attribute') return { type, key };
  const attribute = resolveAttribute(key);
  if (attribute !== undefined) return { type, key: attribute };
  const hint = key === 'lifecycle_stage'
    ? 'choose active or deleted runs with the run view type (runViewType / run_view_type)'
    : key === 'experiment_id'
      ? 'pass the experiment ids to the search instead'
      : prefix === undefined
        ? `a bare name is an attribute; metrics, params and tags need their prefix, e.g. metrics.${key}`
        : undefined;
  return lx.fail(`unknown attribute '${key}' (valid: ${Object.keys(ATTRIBUTES).join(', ')})`, start, hint);
}

// Parses a run filter into a FilterExpr: MLflow's `search_runs` grammar (see mlflow-rest.md §5.1)
// plus sweep's extensions, listed on parseFilter. Every error names the column and what was expected.
import { ConfigError } from '../../errors.js';
import { ATTRIBUTES, type Condition, type FilterExpr, type NumericOp, type Target } from './ast.js';
import { parseIdentifier, type ParsedIdentifier } from './identifier.js';
import { Lexer, describeToken, type Token } from './lexer.js';

/**
 * Parses a filter; an empty or blank filter gives undefined (every run matches).
 *
 * MLflow's grammar: `clause { AND clause }`, clause = `identifier comparator value` or
 * `attributes.run_id [NOT] IN ('id', ...)`. Metrics and the numeric attributes (start_time, end_time)
 * take `= != < <= > >=` and an unquoted number; params, tags and string attributes take
 * `= != LIKE ILIKE` and a quoted string. Keywords are case-insensitive.
 *
 * Sweep extensions (not accepted by MLflow):
 * - `OR` and parentheses; AND binds tighter than OR.
 * - Numeric comparison on params: `params.lr < 0.01` (any of `= != < <= > >=` with an unquoted
 *   number) matches runs whose value of the param is a JSON number (`0.01`, `1e-05`, `3`) and
 *   compares it as a double; runs whose value is not a number never match.
 * - `key IS NULL` / `key IS NOT NULL` on any metric, param, tag or attribute: whether the run has it.
 *
 * @throws ConfigError (`E_CONFIG`) `filter: <what was expected> at column N`
 */
export function parseFilter(input: string | undefined): FilterExpr | undefined {
  if (input === undefined || input.trim() === '') return undefined;
  checkFilterLength(input);
  const parser = new FilterParser(new Lexer(input, 'filter'));
  return parser.parse();
}

/**
 * Bounds on a filter, so one request costs bounded work in every backend (and stays inside SQLite's
 * expression depth of 1000): its length, how deep parentheses nest, how many comparisons it holds and
 * how many run ids an IN list names. Past one, the filter is refused as a client error.
 */
export const FILTER_LIMITS = { length: 100_000, depth: 32, clauses: 200, inValues: 1000 } as const;

/** @throws ConfigError when the filter text is longer than FILTER_LIMITS.length */
export function checkFilterLength(input: string, label = 'filter'): void {
  if (input.length > FILTER_LIMITS.length) {
    throw new ConfigError(`${label}: ${input.length} characters is longer than the limit of ${FILTER_LIMITS.length}`, {
      hint: 'narrow the search with fewer, broader clauses',
    });
  }
}

// --- internal ---

const ORDERING_OPS = '=, !=, <, <=, >, >=';
const STRING_OPS = '=, !=, LIKE, ILIKE';

class FilterParser {
  private depth = 0;
  private clauses = 0;

  constructor(private readonly lx: Lexer) {}

  parse(): FilterExpr {
    const expr = this.parseOr();
    const rest = this.lx.next();
    if (rest.type !== 'eof') {
      const hint = rest.type === 'punct' && rest.text === ')' ? 'this ) has no matching (' : undefined;
      this.lx.fail(`expected AND, OR or the end of the filter, got ${describeToken(rest)}`, rest.start, hint);
    }
    return expr;
  }

  private parseOr(): FilterExpr {
    return this.parseList('or', () => this.parseAnd());
  }

  private parseAnd(): FilterExpr {
    return this.parseList('and', () => this.parsePrimary());
  }

  /** `item { KIND item }`, flattening nested lists of the same kind. */
  private parseList(kind: 'and' | 'or', item: () => FilterExpr): FilterExpr {
    const items: FilterExpr[] = [];
    do {
      const next = item();
      items.push(...(next.kind === kind ? next.items : [next]));
    } while (this.acceptWord(kind.toUpperCase()));
    return items.length === 1 ? (items[0] as FilterExpr) : { kind, items };
  }

  private parsePrimary(): FilterExpr {
    const open = this.lx.peek();
    if (open.type !== 'punct' || open.text !== '(') return this.parseClause();
    this.lx.next();
    if (++this.depth > FILTER_LIMITS.depth) this.lx.fail(`parentheses nest deeper than the limit of ${FILTER_LIMITS.depth}`, open.start);
    const inner = this.parseOr();
    this.depth--;
    const close = this.lx.next();
    if (close.type !== 'punct' || close.text !== ')') {
      const got = close.type === 'eof' ? '' : `, got ${describeToken(close)}`;
      this.lx.fail(`unclosed ( from column ${open.start + 1}: expected )${got}`, close.start);
    }
    return inner;
  }

  private parseClause(): Condition {
    if (++this.clauses > FILTER_LIMITS.clauses) {
      this.lx.fail(`more than ${FILTER_LIMITS.clauses} comparisons`, this.lx.peek().start, 'split the search, or match many values at once with LIKE or IN');
    }
    const id = parseIdentifier(this.lx, 'an identifier (metrics.<key>, params.<key>, tags.<key> or an attribute)');
    const op = this.lx.next();
    const word = op.type === 'word' ? op.text.toUpperCase() : '';
    if (op.type === 'op') return this.parseComparison(id, op);
    if (word === 'LIKE' || word === 'ILIKE') return this.parseLike(id, word, op);
    if (word === 'IN') return this.parseIn(id, false, op);
    if (word === 'IS') {
      const negated = this.acceptWord('NOT');
      const nullWord = this.lx.next();
      if (nullWord.type !== 'word' || nullWord.text.toUpperCase() !== 'NULL') {
        this.fail(`expected NULL after ${negated ? 'IS NOT' : 'IS'}`, nullWord);
      }
      return { kind: 'null', target: id.target, negated };
    }
    if (word === 'NOT') {
      const inWord = this.lx.next();
      if (inWord.type !== 'word' || inWord.text.toUpperCase() !== 'IN') this.fail('expected IN after NOT', inWord);
      return this.parseIn(id, true, op);
    }
    const isGlued = op.type === 'other' && op.start === id.start + id.text.length;
    const hint = isGlued
      ? `quote a key that contains '${op.text}' with backticks or double quotes, e.g. ${id.text.slice(0, id.text.indexOf('.') + 1)}"${id.text.slice(id.text.indexOf('.') + 1)}${op.text}..."`
      : `${id.text} takes ${comparatorsOf(id.target)}`;
    return this.fail(`expected a comparator after ${id.text}`, op, hint);
  }

  private parseComparison(id: ParsedIdentifier, op: Token & { type: 'op' }): Condition {
    const { target } = id;
    if (op.text === '<>' || op.text === '==') {
      this.lx.fail(`'${op.text}' is not a comparator`, op.start, `use ${op.text === '<>' ? '!=' : '='}`);
    }
    const isOrdering = op.text !== '=' && op.text !== '!=';
    const value = this.lx.next();
    if (value.type === 'eof') this.fail(`expected a value after ${id.text} ${op.text}`, value);
    if (isNumeric(target) || (target.type === 'param' && (value.type === 'number' || isOrdering))) {
      if (value.type !== 'number') {
        const extension = target.type === 'param' ? ' (sweep extension: numeric comparison on params)' : '';
        const hint = value.type === 'string' && value.quote !== '`' && Number.isFinite(Number(value.value)) && value.value.trim() !== ''
          ? `write the number without quotes: ${id.text} ${op.text} ${value.value}`
          : value.text === '+' ? 'numbers take no leading +' : undefined;
        return this.lx.fail(`${id.text} compares with a number${extension}, got ${describeToken(value)}`, value.start, hint);
      }
      if (target.type === 'attribute' && !Number.isInteger(value.value)) {
        this.lx.fail(`${id.text} compares with an integer (ms since the epoch), got ${value.text}`, value.start);
      }
      return { kind: 'number', target, op: op.text as NumericOp, value: value.value };
    }
    if (isOrdering) {
      this.lx.fail(`${id.text} does not support ${op.text}`, op.start, `${id.text} takes ${comparatorsOf(target)}`);
    }
    return { kind: 'string', target, op: op.text as '=' | '!=', value: this.stringValue(id, value) };
  }

  private parseLike(id: ParsedIdentifier, op: 'LIKE' | 'ILIKE', token: Token): Condition {
    if (isNumeric(id.target)) {
      this.lx.fail(`${id.text} does not support ${op}`, token.start, `${id.text} takes ${comparatorsOf(id.target)}`);
    }
    const value = this.lx.next();
    if (value.type === 'eof') this.fail(`expected a pattern after ${id.text} ${op}`, value);
    return { kind: 'string', target: id.target, op, value: this.stringValue(id, value) };
  }

  private parseIn(id: ParsedIdentifier, negated: boolean, token: Token): Condition {
    const { target } = id;
    if (target.type !== 'dataset' && (target.type !== 'attribute' || target.key !== 'run_id')) {
      this.lx.fail(`only attributes.run_id and datasets.<key> support IN and NOT IN, got ${id.text}`, token.start);
    }
    const noun = target.type === 'dataset' ? `dataset ${target.key}` : 'run id';
    const open = this.lx.next();
    if (open.type !== 'punct' || open.text !== '(') this.fail(`expected ( after ${negated ? 'NOT IN' : 'IN'}`, open);
    const values: string[] = [];
    for (;;) {
      const item = this.lx.next();
      if (item.type === 'punct' && item.text === ')' && values.length > 0) break;
      if (item.type !== 'string' || item.quote === '`') {
        this.fail(values.length === 0 ? `expected a quoted ${noun} in the list` : `expected a quoted ${noun} or )`, item);
      }
      if (values.length >= FILTER_LIMITS.inValues) this.lx.fail(`an IN list holds more than ${FILTER_LIMITS.inValues} ${noun}s`, item.start);
      values.push(item.value);
      const sep = this.lx.next();
      if (sep.type === 'punct' && sep.text === ')') break;
      if (sep.type !== 'punct' || sep.text !== ',') this.fail(`expected , or ) in the ${noun} list`, sep);
    }
    return { kind: 'in', target, negated, values };
  }

  private stringValue(id: ParsedIdentifier, value: Token): string {
    if (value.type === 'string' && value.quote !== '`') return value.value;
    const hint = value.type === 'string'
      ? 'backticks quote keys; quote values with \' or "'
      : value.type === 'number' || value.type === 'word' ? `quote it: '${value.text}'` : undefined;
    return this.lx.fail(`${id.text} compares with a quoted string, got ${describeToken(value)}`, value.start, hint);
  }

  private acceptWord(upper: string): boolean {
    const token = this.lx.peek();
    if (token.type !== 'word' || token.text.toUpperCase() !== upper) return false;
    this.lx.next();
    return true;
  }

  /** `<expected>[, got X] at column N`. */
  private fail(expected: string, got: Token, hint?: string): never {
    const suffix = got.type === 'eof' ? '' : `, got ${describeToken(got)}`;
    return this.lx.fail(`${expected}${suffix}`, got.start, hint);
  }
}

function isNumeric(target: Target): boolean {
  return target.type === 'metric' || (target.type === 'attribute' && ATTRIBUTES[target.key].valueType === 'number');
}

function comparatorsOf(target: Target): string {
  if (isNumeric(target)) return `${ORDERING_OPS}, IS NULL, IS NOT NULL`;
  if (target.type === 'param') return `${STRING_OPS} with a quoted string, ${ORDERING_OPS} with a number (sweep extension), IS NULL, IS NOT NULL`;
  if ((target.type === 'attribute' && target.key === 'run_id') || target.type === 'dataset') return `${STRING_OPS}, IN, NOT IN, IS NULL, IS NOT NULL`;
  return `${STRING_OPS}, IS NULL, IS NOT NULL`;
}

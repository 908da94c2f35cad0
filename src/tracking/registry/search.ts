// Registry search: MLflow's filter grammar for registered models (`name`, `tags.<key>`) and model
// versions (`name`, `run_id`, `source_path`, `version_number`, `tags.<key>`), clauses joined by AND,
// and its order_by keys. Evaluated over ModelStates, the same in every backend: a registry holds
// hundreds of models, not the millions of rows run search is compiled to SQL for.
import { ConfigError } from '../../errors.js';
import { ownValue } from '../own-entries.js';
import { compileLike } from '../search/like.js';
import { Lexer, describeToken, type Token } from '../search/lexer.js';
import { decodePageToken, encodePageToken } from '../search/query.js';
import type { RegistryPage, RegistrySearchQuery } from './entities.js';
import type { ModelState, VersionState } from './rules.js';

export type RegistryEntity = 'registered model' | 'model version';

type Field = 'name' | 'run_id' | 'source_path' | 'version_number' | 'tag';

interface Clause {
  readonly field: Field;
  readonly key: string;
  readonly op: '=' | '!=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN' | '<' | '<=' | '>' | '>=';
  readonly values: readonly (string | number)[];
}

interface OrderTerm {
  readonly key: 'name' | 'version_number' | 'creation_timestamp' | 'last_updated_timestamp';
  readonly descending: boolean;
}

export const REGISTRY_SEARCH_LIMITS = {
  'registered model': { defaultMax: 100, max: 1000 },
  'model version': { defaultMax: 10_000, max: 200_000 },
} as const;

/** One page of registered models (as ModelStates) matching the query. @throws ConfigError */
export function searchModelStates(states: readonly ModelState[], query: RegistrySearchQuery): RegistryPage<ModelState> {
  const clauses = parseRegistryFilter(query.filter, 'registered model');
  const order = parseRegistryOrderBy(query.orderBy, 'registered model');
  const tests = clauses.map((c) => ({ c, test: matcher(c) }));
  const found = states.filter((s) => tests.every(({ c, test }) => test(modelValue(s, c))));
  found.sort(comparator(order, (s, key) => (key === 'name' ? s.name : key === 'creation_timestamp' ? s.creationTime : s.lastUpdatedTime)));
  return page(found, query, 'registered model');
}

/** One page of model versions matching the query, as [model, version] pairs. @throws ConfigError */
export function searchVersionStates(states: readonly ModelState[], query: RegistrySearchQuery): RegistryPage<[ModelState, VersionState]> {
  const clauses = parseRegistryFilter(query.filter, 'model version');
  const order = parseRegistryOrderBy(query.orderBy, 'model version');
  const tests = clauses.map((c) => ({ c, test: matcher(c) }));
  const found: [ModelState, VersionState][] = [];
  for (const s of states) for (const v of s.versions) if (tests.every(({ c, test }) => test(versionValue(s, v, c)))) found.push([s, v]);
  found.sort(comparator(order, ([s, v], key) => (
    key === 'name' ? s.name : key === 'version_number' ? v.version : key === 'creation_timestamp' ? v.creationTime : v.lastUpdatedTime
  )));
  return page(found, query, 'model version');
}

/** @throws ConfigError naming the column */
export function parseRegistryFilter(input: string | undefined, entity: RegistryEntity): Clause[] {
  if (input === undefined || input.trim() === '') return [];
  if (input.length > 100_000) throw new ConfigError(`filter: ${input.length} characters is longer than the limit of 100000`);
  const lx = new Lexer(input, 'filter');
  const clauses: Clause[] = [];
  for (;;) {
    clauses.push(parseClause(lx, entity));
    const next = lx.next();
    if (next.type === 'eof') return clauses;
    if (next.type !== 'word' || next.text.toUpperCase() !== 'AND') {
      const hint = next.type === 'word' && next.text.toUpperCase() === 'OR' ? 'the registry filter joins clauses with AND only, as MLflow' : undefined;
      lx.fail(`expected AND or the end of the filter, got ${describeToken(next)}`, next.start, hint);
    }
  }
}

// --- internal ---

const FIELDS: Record<RegistryEntity, readonly string[]> = {
  'registered model': ['name'],
  'model version': ['name', 'run_id', 'source_path', 'version_number'],
};

function parseClause(lx: Lexer, entity: RegistryEntity): Clause {
  const id = lx.next();
  let field: Field;
  let key = '';
  let text: string;
  if (id.type === 'word' && /^tags?\.$/i.test(id.text)) {
    const quoted = lx.next();
    if (quoted.type !== 'string' || quoted.quote === '\'' || quoted.start !== id.end) lx.fail(`expected a quoted key after ${id.text}`, quoted.start);
    field = 'tag';
    key = quoted.value;
    text = `${id.text}${quoted.text}`;
  } else if (id.type === 'word' && /^tags?\./i.test(id.text)) {
    field = 'tag';
    key = id.text.slice(id.text.indexOf('.') + 1);
    text = id.text;
  } else if (id.type === 'word') {
    const bare = id.text.replace(/^(attributes?|attr)\./i, '');
    if (!FIELDS[entity].includes(bare)) {
      const valid = [...FIELDS[entity], 'tags.<key>'].join(', ');
      lx.fail(`invalid ${entity} search key '${id.text}' (valid: ${valid})`, id.start);
    }
    field = bare as Field;
    text = id.text;
  } else {
    return lx.fail(`expected a search key (${[...FIELDS[entity], 'tags.<key>'].join(', ')}), got ${describeToken(id)}`, id.start);
  }
  const opToken = lx.next();
  const op = readOperator(lx, opToken);
  if (field === 'version_number') {
    if (op === 'LIKE' || op === 'ILIKE') lx.fail(`${text} does not support ${op}`, opToken.start, 'version_number takes =, !=, <, <=, >, >=, IN, NOT IN');
    if (op === 'IN' || op === 'NOT IN') return { field, key, op, values: readList(lx, text, 'number') };
    const value = lx.next();
    if (value.type !== 'number' || !Number.isInteger(value.value)) lx.fail(`${text} compares with an integer, got ${describeToken(value)}`, value.start);
    return { field, key, op, values: [value.value] };
  }
  if (op === '<' || op === '<=' || op === '>' || op === '>=') lx.fail(`${text} does not support ${op}`, opToken.start, `${text} takes =, !=, LIKE, ILIKE`);
  if (op === 'IN' || op === 'NOT IN') {
    if (field !== 'run_id') lx.fail(`only run_id and version_number support ${op}, got ${text}`, opToken.start);
    return { field, key, op, values: readList(lx, text, 'string') };
  }
  const value = lx.next();
  if (value.type !== 'string' || value.quote === '`') lx.fail(`${text} compares with a quoted string, got ${describeToken(value)}`, value.start);
  return { field, key, op, values: [value.value] };
}

function readOperator(lx: Lexer, token: Token): Clause['op'] {
  if (token.type === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(token.text)) return token.text as Clause['op'];
  if (token.type === 'word') {
    const word = token.text.toUpperCase();
    if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') return word;
    if (word === 'NOT') {
      const inWord = lx.next();
      if (inWord.type === 'word' && inWord.text.toUpperCase() === 'IN') return 'NOT IN';
      lx.fail(`expected IN after NOT, got ${describeToken(inWord)}`, inWord.start);
    }
  }
  return lx.fail(`expected a comparator, got ${describeToken(token)}`, token.start);
}

function readList(lx: Lexer, text: string, type: 'string' | 'number'): (string | number)[] {
  const open = lx.next();
  if (open.type !== 'punct' || open.text !== '(') lx.fail(`expected ( after IN for ${text}`, open.start);
  const values: (string | number)[] = [];
  for (;;) {
    const item = lx.next();
    if (type === 'string' && item.type === 'string' && item.quote !== '`') values.push(item.value);
    else if (type === 'number' && item.type === 'number' && Number.isInteger(item.value)) values.push(item.value);
    else lx.fail(`expected a ${type === 'string' ? 'quoted string' : 'integer'} in the list for ${text}, got ${describeToken(item)}`, item.start);
    if (values.length > 1000) lx.fail('an IN list holds more than 1000 values', item.start);
    const sep = lx.next();
    if (sep.type === 'punct' && sep.text === ')') return values;
    if (sep.type !== 'punct' || sep.text !== ',') lx.fail(`expected , or ) in the list, got ${describeToken(sep)}`, sep.start);
  }
}

function modelValue(s: ModelState, c: Clause): string | number | undefined {
  return c.field === 'tag' ? ownValue(s.tags, c.key) : s.name;
}

function versionValue(s: ModelState, v: VersionState, c: Clause): string | number | undefined {
  switch (c.field) {
    case 'name': return s.name;
    case 'run_id': return v.runId;
    case 'source_path': return v.source;
    case 'version_number': return v.version;
    case 'tag': return ownValue(v.tags, c.key);
  }
}

/** A test of one clause against a value (undefined: the key is absent, which never matches). */
function matcher(c: Clause): (value: string | number | undefined) => boolean {
  if (c.op === 'LIKE' || c.op === 'ILIKE') {
    const like = compileLike(String(c.values[0]), c.op === 'ILIKE');
    return (value) => value !== undefined && like(String(value));
  }
  return (value) => value !== undefined && matches(c, value);
}

function matches(c: Clause, value: string | number): boolean {
  const [first] = c.values;
  switch (c.op) {
    case '=': return value === first;
    case '!=': return value !== first;
    case 'IN': return c.values.includes(value);
    case 'NOT IN': return !c.values.includes(value);
    case 'LIKE': case 'ILIKE': return compileLike(String(first), c.op === 'ILIKE')(String(value)); // matcher() precompiles these
    case '<': return (value as number) < (first as number);
    case '<=': return (value as number) <= (first as number);
    case '>': return (value as number) > (first as number);
    case '>=': return (value as number) >= (first as number);
  }
}

const ORDER_KEYS: Record<RegistryEntity, Readonly<Record<string, OrderTerm['key']>>> = {
  'registered model': { name: 'name', creation_timestamp: 'creation_timestamp', last_updated_timestamp: 'last_updated_timestamp', timestamp: 'last_updated_timestamp' },
  'model version': {
    name: 'name', version_number: 'version_number', creation_timestamp: 'creation_timestamp',
    last_updated_timestamp: 'last_updated_timestamp', timestamp: 'last_updated_timestamp',
  },
};

/** User keys, then MLflow's tie-breakers (name ASC; for versions also version DESC). @throws ConfigError */
export function parseRegistryOrderBy(orderBy: readonly string[] | undefined, entity: RegistryEntity): OrderTerm[] {
  const terms: OrderTerm[] = [];
  const given = orderBy !== undefined && orderBy.length > 0
    ? orderBy
    : entity === 'model version' ? ['last_updated_timestamp DESC'] : ['name ASC'];
  for (const clause of given) {
    const m = /^\s*`?([A-Za-z_.]+)`?(?:\s+(ASC|DESC))?\s*$/i.exec(clause);
    const key = m?.[1] === undefined ? undefined : ORDER_KEYS[entity][m[1].replace(/^(attributes?|attr)\./i, '')];
    if (m === null || key === undefined) {
      throw new ConfigError(`order_by: invalid ${entity} order_by clause '${clause}' (keys: ${Object.keys(ORDER_KEYS[entity]).join(', ')}, then ASC or DESC)`);
    }
    if (terms.some((t) => t.key === key)) throw new ConfigError(`order_by: '${key}' is given more than once`);
    terms.push({ key, descending: m[2]?.toUpperCase() === 'DESC' });
  }
  if (!terms.some((t) => t.key === 'name')) terms.push({ key: 'name', descending: false });
  if (entity === 'model version' && !terms.some((t) => t.key === 'version_number')) terms.push({ key: 'version_number', descending: true });
  return terms;
}

function comparator<T>(order: readonly OrderTerm[], get: (item: T, key: OrderTerm['key']) => string | number): (a: T, b: T) => number {
  return (a, b) => {
    for (const term of order) {
      const x = get(a, term.key);
      const y = get(b, term.key);
      const c = x < y ? -1 : x > y ? 1 : 0;
      if (c !== 0) return term.descending ? -c : c;
    }
    return 0;
  };
}

function page<T>(found: T[], query: RegistrySearchQuery, entity: RegistryEntity): RegistryPage<T> {
  const limits = REGISTRY_SEARCH_LIMITS[entity];
  const max = query.maxResults ?? limits.defaultMax;
  if (!Number.isSafeInteger(max) || max < 1) throw new ConfigError(`Invalid value for max_results. It must be a positive integer, but got ${String(max)}`);
  if (max > limits.max) throw new ConfigError(`Invalid value for request parameter max_results. It must be at most ${limits.max}, but got value ${max}`);
  const offset = query.pageToken === undefined || query.pageToken === '' ? 0 : decodePageToken(query.pageToken);
  const items = found.slice(offset, offset + max);
  return offset + max < found.length ? { items, nextPageToken: encodePageToken(offset + max) } : { items };
}

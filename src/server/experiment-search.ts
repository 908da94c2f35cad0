// experiments/search: MLflow's experiment filter (name, creation_time, last_update_time, tags.<key>,
// clauses joined by AND), order_by, view_type and page tokens. Experiments are few: filtered in memory.
import { compareNumber } from '../tracking/search/evaluate-memory.js';
import { ConfigError } from '../errors.js';
import { ownValue } from '../tracking/own-entries.js';
import type { Experiment } from '../tracking/entities.js';
import { Lexer, describeToken, type Token } from '../tracking/search/lexer.js';
import { compileLike } from '../tracking/search/like.js';
import { FILTER_LIMITS, checkFilterLength } from '../tracking/search/parser.js';
import { decodePageToken, encodePageToken } from '../tracking/search/query.js';

export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface ExperimentQuery {
  readonly filter?: string | undefined;
  readonly orderBy?: readonly string[];
  readonly maxResults?: number | undefined;
  readonly pageToken?: string | undefined;
  readonly viewType?: ViewType | undefined;
}

export const EXPERIMENT_MAX_RESULTS = 50_000;

/** One page of matching experiments. @throws ConfigError naming the column of a filter or order_by error */
export function searchExperiments(all: readonly Experiment[], query: ExperimentQuery): { items: Experiment[]; nextPageToken?: string } {
  const maxResults = query.maxResults ?? 1000;
  if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > EXPERIMENT_MAX_RESULTS) {
    throw new ConfigError(`Invalid value for request parameter max_results. It must be at most ${EXPERIMENT_MAX_RESULTS} and at least 1, but got value ${maxResults}`);
  }
  const matches = parseExperimentFilter(query.filter);
  const compare = parseExperimentOrder(query.orderBy ?? []);
  const view = query.viewType ?? 'ACTIVE_ONLY';
  const offset = query.pageToken === undefined || query.pageToken === '' ? 0 : decodePageToken(query.pageToken);
  const rows = all
    .filter((e) => view === 'ALL' || (view === 'ACTIVE_ONLY') === (e.lifecycleStage === 'active'))
    .filter(matches)
    .sort(compare);
  const items = rows.slice(offset, offset + maxResults);
  return offset + maxResults < rows.length ? { items, nextPageToken: encodePageToken(offset + maxResults) } : { items };
}

/** @throws ConfigError `filter: <what was expected> at column N` */
export function parseExperimentFilter(input: string | undefined): (e: Experiment) => boolean {
  if (input === undefined || input.trim() === '') return () => true;
  checkFilterLength(input);
  const lx: Lexer = new Lexer(input, 'filter');
  const clauses: ((e: Experiment) => boolean)[] = [];
  do {
    if (clauses.length >= FILTER_LIMITS.clauses) lx.fail(`more than ${FILTER_LIMITS.clauses} comparisons`, lx.peek().start);
    clauses.push(parseClause(lx));
    const next = lx.next();
    if (next.type === 'eof') break;
    if (next.type !== 'word' || next.text.toUpperCase() !== 'AND') lx.fail(`expected AND or the end of the filter, got ${describeToken(next)}`, next.start);
  } while (true);
  return (e) => clauses.every((c) => c(e));
}

// --- internal ---

type Key = { kind: 'name' } | { kind: 'time'; field: 'creationTime' | 'lastUpdateTime' } | { kind: 'tag'; key: string };

const ORDER_KEYS: Readonly<Record<string, (e: Experiment) => string | number>> = {
  name: (e) => e.name,
  experiment_id: (e) => Number(e.experimentId),
  creation_time: (e) => e.creationTime,
  last_update_time: (e) => e.lastUpdateTime,
};

function parseClause(lx: Lexer): (e: Experiment) => boolean {
  const key = parseKey(lx);
  const opToken = lx.next();
  const op = opToken.type === 'op' ? opToken.text : opToken.type === 'word' ? opToken.text.toUpperCase() : '';
  const value = lx.next();
  if (key.kind === 'time') {
    if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) lx.fail(`expected a comparator (=, !=, <, <=, >, >=), got ${describeToken(opToken)}`, opToken.start);
    if (value.type !== 'number' || !Number.isInteger(value.value)) lx.fail(`expected an integer (ms since the epoch), got ${describeToken(value)}`, value.start);
    const v = value.value;
    const get = (e: Experiment): number => e[key.field];
    return (e) => compareNumber(get(e), op, v);
  }
  if (!['=', '!=', 'LIKE', 'ILIKE'].includes(op)) lx.fail(`expected a comparator (=, !=, LIKE, ILIKE), got ${describeToken(opToken)}`, opToken.start);
  if (value.type !== 'string' || value.quote === '`') lx.fail(`expected a quoted string, got ${describeToken(value)}`, value.start);
  const text = value.value;
  const get = (e: Experiment): string | undefined => (key.kind === 'name' ? e.name : ownValue(e.tags, key.key));
  const pattern = op === 'LIKE' || op === 'ILIKE' ? compileLike(text, op === 'ILIKE') : undefined;
  return (e) => {
    const actual = get(e);
    if (actual === undefined) return false;
    if (pattern) return pattern(actual);
    return op === '=' ? actual === text : actual !== text;
  };
}

function parseKey(lx: Lexer): Key {
  const first = lx.next();
  let prefix: string | undefined;
  let name: string;
  if (first.type === 'word' && first.text.endsWith('.') && first.text.indexOf('.') === first.text.length - 1) {
    prefix = first.text.slice(0, -1);
    const quoted = lx.next();
    if (quoted.type !== 'string' || quoted.quote === '\'' || quoted.start !== first.end) {
      return lx.fail(`expected a key quoted with " or \` after ${first.text}`, quoted.start);
    }
    name = quoted.value;
  } else if (first.type === 'word') {
    const dot = first.text.indexOf('.');
    prefix = dot < 0 ? undefined : first.text.slice(0, dot);
    name = dot < 0 ? first.text : first.text.slice(dot + 1);
  } else if (first.type === 'string' && first.quote !== '\'') {
    name = first.value;
  } else {
    return lx.fail(`expected name, creation_time, last_update_time or tags.<key>, got ${describeToken(first)}`, first.start);
  }
  const kind = prefix?.toLowerCase();
  if (kind === 'tag' || kind === 'tags') return { kind: 'tag', key: name };
  if (kind !== undefined && kind !== 'attribute' && kind !== 'attributes') {
    return lx.fail(`invalid entity type '${prefix}'; experiments filter on attributes (name, creation_time, last_update_time) and tags`, first.start);
  }
  if (name === 'name') return { kind: 'name' };
  if (name === 'creation_time') return { kind: 'time', field: 'creationTime' };
  if (name === 'last_update_time') return { kind: 'time', field: 'lastUpdateTime' };
  return lx.fail(`invalid attribute key '${name}'; valid keys are name, creation_time, last_update_time`, first.start);
}


function parseExperimentOrder(clauses: readonly string[]): (a: Experiment, b: Experiment) => number {
  const keys: { get: (e: Experiment) => string | number; sign: number; name: string }[] = [];
  for (const clause of clauses) {
    const lx: Lexer = new Lexer(clause, `order_by "${clause}"`);
    const id = lx.next();
    const raw = id.type === 'word' ? id.text : id.type === 'string' && id.quote !== '\'' ? id.value : undefined;
    const name = raw?.replace(/^attributes?\./i, '');
    const get = name === undefined ? undefined : ORDER_KEYS[name];
    if (name === undefined || get === undefined) {
      lx.fail(`expected name, experiment_id, creation_time or last_update_time, got ${describeToken(id)}`, id.start);
    }
    if (keys.some((k) => k.name === name)) throw new ConfigError(`order_by: ${name} is given twice`);
    const dir: Token = lx.next();
    let sign = 1;
    if (dir.type === 'word' && /^(ASC|DESC)$/i.test(dir.text)) {
      sign = dir.text.toUpperCase() === 'DESC' ? -1 : 1;
      const rest = lx.next();
      if (rest.type !== 'eof') lx.fail(`expected the end of the clause, got ${describeToken(rest)}`, rest.start);
    } else if (dir.type !== 'eof') {
      lx.fail(`expected ASC, DESC or the end of the clause, got ${describeToken(dir)}`, dir.start);
    }
    keys.push({ get, sign, name });
  }
  if (keys.length === 0) keys.push({ get: ORDER_KEYS['creation_time'] as (e: Experiment) => number, sign: -1, name: 'creation_time' });
  if (!keys.some((k) => k.name === 'experiment_id')) {
    keys.push({ get: ORDER_KEYS['experiment_id'] as (e: Experiment) => number, sign: clauses.length === 0 ? 1 : -1, name: 'experiment_id' });
  }
  return (a, b) => {
    for (const k of keys) {
      const x = k.get(a);
      const y = k.get(b);
      if (x !== y) return k.sign * (x < y ? -1 : 1);
    }
    return 0;
  };
}

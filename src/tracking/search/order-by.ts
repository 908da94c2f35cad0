// Parses order_by clauses (`metrics.acc DESC`, `params.lr`, `attributes.start_time ASC`) and appends
// MLflow's tie-breakers: start_time DESC (unless already a key), then run_id ASC.
import { ConfigError } from '../../errors.js';
import { formatTarget, sameTarget, type OrderKey } from './ast.js';
import { parseIdentifier } from './identifier.js';
import { Lexer, describeToken } from './lexer.js';

/** Keys one search may order by (each may join a table; SQLite joins at most 64). */
export const MAX_ORDER_BY = 16;

/**
 * The full ordering: the given clauses, then the tie-breakers. Runs that lack a key sort after
 * those that have it, in both directions; a NaN metric sorts after numbers and before a missing one.
 * @throws ConfigError for a malformed clause or a key given twice
 */
export function parseOrderBy(clauses: readonly string[] | undefined): OrderKey[] {
  const keys: OrderKey[] = [];
  if ((clauses?.length ?? 0) > MAX_ORDER_BY) {
    throw new ConfigError(`order_by: ${clauses?.length} keys is more than the limit of ${MAX_ORDER_BY}`, { hint: 'order by a few keys' });
  }
  for (const clause of clauses ?? []) {
    const key = parseOrderClause(clause);
    if (keys.some((k) => sameTarget(k.target, key.target))) {
      throw new ConfigError(`order_by: ${formatTarget(key.target)} is given twice`, {
        hint: 'order by each key once',
      });
    }
    keys.push(key);
  }
  if (!keys.some((k) => k.target.type === 'attribute' && k.target.key === 'start_time')) {
    keys.push({ target: { type: 'attribute', key: 'start_time' }, descending: true });
  }
  if (!keys.some((k) => k.target.type === 'attribute' && k.target.key === 'run_id')) {
    keys.push({ target: { type: 'attribute', key: 'run_id' }, descending: false });
  }
  return keys;
}

/** One clause: `identifier [ASC|DESC]`, the direction case-insensitive, ASC by default. */
export function parseOrderClause(clause: string): OrderKey {
  const lx = new Lexer(clause, `order_by "${clause}"`);
  const { target, start } = parseIdentifier(lx, 'a key to order by (metrics.<key>, params.<key>, tags.<key> or an attribute)');
  if (target.type === 'dataset') return lx.fail(`runs cannot be ordered by ${formatTarget(target)}`, start, 'order by a metric, param, tag or attribute');
  let descending = false;
  const direction = lx.peek();
  if (direction.type === 'word' && /^(ASC|DESC)$/i.test(direction.text)) {
    lx.next();
    descending = direction.text.toUpperCase() === 'DESC';
  }
  const rest = lx.next();
  if (rest.type !== 'eof') {
    lx.fail(`expected ASC, DESC or the end of the clause, got ${describeToken(rest)}`, rest.start, 'give one key per order_by entry');
  }
  return { target, descending };
}

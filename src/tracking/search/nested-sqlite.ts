// The nested search (SearchRunsQuery.nested) on SQLite: nested-sql.ts's query, run once.
import { chooseDriver, statement } from './compile-sqlite.js';
import { assembleNested, compileNested, type NestedRow, type NestedRunIds } from './nested-sql.js';
import { prepareSearch, type SearchRunsQuery } from './query.js';
import { read, type Db } from '../sqlite/connection.js';

export type { NestedRunIds } from './nested-sql.js';
export { compileNested } from './nested-sql.js';

/** @throws ConfigError for a bad query; StorageError when SQLite fails */
export function searchNestedRunIds(db: Db, query: SearchRunsQuery): NestedRunIds {
  const search = prepareSearch(query);
  const { sql, args } = compileNested(search, chooseDriver(db, { ...search, parentRunId: undefined }));
  const rows = read('search runs', () => statement(db, sql, false).all(...args) as NestedRow[]);
  return assembleNested(rows, search);
}

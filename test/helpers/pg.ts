// PostgreSQL for tests: the machine's server (SWEEP_TEST_PG_URL, default the CI database), each store
// in a fresh schema dropped when the store closes. Without a reachable server, PostgreSQL tests skip
// locally and fail in CI (CI=1), where .ci/run starts the server.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { PgStore } from '../../src/tracking/postgres/pg-store.js';

export const PG_URL = process.env['SWEEP_TEST_PG_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** A fresh schema name (letters, digits and _). */
export function freshSchema(): string {
  return `helper_pg_${randomBytes(6).toString('hex')}`;
}

/** The storage URI of a fresh schema. */
export function pgUri(schema = freshSchema(), extra = ''): string {
  return `${PG_URL}?schema=${schema}${extra}`;
}

/** Whether the test server answers; throws in CI when it does not. */
export async function pgAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env['CI']) throw new Error(`PostgreSQL at ${PG_URL} is not reachable in CI: ${String(error)}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Storage URIs of fresh schemas, each dropped after the test file (call at the file's top level). */
export function scratchStorages(): () => string {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });
  return () => {
    const schema = freshSchema();
    schemas.push(schema);
    return pgUri(schema);
  };
}

/** Rows of one query in the schema of a storage URI (?schema=, else public). */
export async function queryStorage<T extends pg.QueryResultRow>(storage: string, sql: string): Promise<T[]> {
  const schema = new URL(storage).searchParams.get('schema') ?? 'public';
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A PgStore on a fresh schema that drops the schema when closed. */
export class ScratchPgStore extends PgStore {
  constructor(readonly schema = freshSchema(), extra = '') {
    super(pgUri(schema, extra));
  }

  override async close(): Promise<void> {
    await super.close();
    await dropSchema(this.schema);
  }
}

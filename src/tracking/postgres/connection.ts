// A small pg pool for one process, the schema created on first use, and every call retried with
// backoff through what a shared database does to its clients: serialization failures, deadlocks,
// restarts and dropped connections. The only place, with this folder, that imports pg.
//
// Why node-postgres (`pg`): the most used and longest kept PostgreSQL client for Node (pooling,
// binary-safe parameters, server errors with their SQLSTATE, TLS, every auth method), with no native
// build step. Writing the wire protocol ourselves would be thousands of lines to get wrong.
import type * as Pg from 'pg';
import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import {
  BudgetExhaustedError, ConfigError, DuplicateError, ImmutableValueError, InvalidTransitionError, NotFoundError, StorageError, isSweepError,
} from '../../errors.js';
import { migrate, quoteIdent } from './schema.js';
import { notifyDatabaseWait } from './database-wait.js';

export interface PgOptions {
  /** The URI with its password hidden, for messages and `store.uri`. */
  readonly displayUri: string;
  /** What pg connects with (sweep's own query parameters removed). */
  readonly connectionString: string;
  readonly schema: string;
  /** Connections this process opens at most. */
  readonly poolSize: number;
  /** How long calls keep retrying while the database is unreachable before failing. */
  readonly retryForMs: number;
  /** How long one query may wait for its answer before the connection counts as lost (a cut link sends no reset). */
  readonly queryTimeoutMs: number;
  /** Where run artifacts go (`?artifacts=`), if given. */
  readonly artifactRoot: string | undefined;
}

export const DEFAULT_POOL_SIZE = 2;
export const DEFAULT_RETRY_FOR_MS = 120_000;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** The query parameters node-postgres reads from a connection string (pg-connection-string, ConnectionParameters). */
const PG_PARAMETERS = new Set([
  'sslmode', 'ssl', 'sslcert', 'sslkey', 'sslrootcert', 'sslnegotiation', 'uselibpqcompat', 'host', 'port', 'user', 'password',
  'db', 'encoding', 'client_encoding', 'application_name', 'fallback_application_name', 'options', 'connect_timeout',
  'statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout', 'keepalives', 'keepalives_idle', 'replication',
]);

/** Whether `uri` names a PostgreSQL database. */
export { isPgUri } from '../storage-uri.js';

/**
 * Reads `postgresql://user[:password]@host[:port]/database[?schema=NAME&pool=N&retry_for=SECONDS&query_timeout=SECONDS&artifacts=DIR|http://server]`.
 * @throws ConfigError naming the part at fault
 */
export function parsePgUri(uri: string): PgOptions {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ConfigError(`storage "${redact(uri)}": not a valid PostgreSQL URL`, { hint: 'use postgresql://user@host:5432/database?schema=NAME' });
  }
  const take = (name: string): string | undefined => {
    const value = url.searchParams.get(name) ?? undefined;
    url.searchParams.delete(name);
    return value;
  };
  const schema = take('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema) || /^pg_/i.test(schema)) {
    throw new ConfigError(`storage "${redact(uri)}": schema "${schema}" must be letters, digits and _ (at most 63, not starting with a digit or pg_)`);
  }
  const poolText = take('pool');
  const poolSize = poolText === undefined ? DEFAULT_POOL_SIZE : Number(poolText);
  if (!Number.isInteger(poolSize) || poolSize < 1 || poolSize > 100) {
    throw new ConfigError(`storage "${redact(uri)}": pool=${poolText} must be an integer from 1 to 100`);
  }
  const retryText = take('retry_for');
  const retryFor = retryText === undefined ? DEFAULT_RETRY_FOR_MS / 1000 : Number(retryText);
  if (!Number.isFinite(retryFor) || retryFor < 0) {
    throw new ConfigError(`storage "${redact(uri)}": retry_for=${retryText} must be a number of seconds >= 0`);
  }
  const timeoutText = take('query_timeout');
  const queryTimeout = timeoutText === undefined ? 60 : Number(timeoutText);
  if (!Number.isFinite(queryTimeout) || queryTimeout <= 0) {
    throw new ConfigError(`storage "${redact(uri)}": query_timeout=${timeoutText} must be a number of seconds > 0`);
  }
  const artifactRoot = take('artifacts');
  if (artifactRoot !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(artifactRoot) && !/^https?:\/\//i.test(artifactRoot)) {
    throw new ConfigError(`storage "${redact(uri)}": artifacts=${artifactRoot} must be a directory (one every host mounts) or a server, http://host:5000`);
  }
  // What is left goes to pg: a name neither reads (a typo such as ?artifact= or ?retryfor=) would be
  // dropped without a word, so it is refused.
  const unknown = [...url.searchParams.keys()].find((key) => !PG_PARAMETERS.has(key));
  if (unknown !== undefined) {
    throw new ConfigError(`storage "${redact(uri)}": unknown parameter "${unknown}"`, {
      hint: `sweep reads schema, pool, retry_for, query_timeout and artifacts; the PostgreSQL client ${[...PG_PARAMETERS].join(', ')}`,
    });
  }
  if (url.pathname === '' || url.pathname === '/') {
    throw new ConfigError(`storage "${redact(uri)}": needs a database name, as in postgresql://user@host:5432/sweep`);
  }
  return {
    displayUri: redact(uri),
    connectionString: url.toString(),
    schema,
    poolSize,
    retryForMs: retryFor * 1000,
    queryTimeoutMs: queryTimeout * 1000,
    artifactRoot: artifactRoot === '' ? undefined : artifactRoot,
  };
}

/** The URI without its password. */
export function redact(uri: string): string {
  return uri.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@/]*@/, '$1:***@');
}

/**
 * pg, loaded when a PostgreSQL store first needs it: every thread that imports sweep (the CLI, each
 * worker thread of a run) reaches this module, and pg with what it pulls in costs tens of ms each.
 * Through require, as `import pg from 'pg'` would: the same CommonJS module, synchronously.
 */
let pgModule: typeof Pg | undefined;
function pg(): typeof Pg {
  return (pgModule ??= createRequire(import.meta.url)('pg') as typeof Pg);
}

// BIGINT columns hold milliseconds and ids, well inside 2^53: numbers, not strings.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (text: string) => Number(text) : pg().types.getTypeParser(oid, format as 'text')) as typeof Pg.types.getTypeParser,
};

export type Queryable = Pick<Pg.PoolClient, 'query'>;

/** The process's pool on one schema: migrated before the first query, every call retried (see `run`). */
export class PgConnection {
  private readonly pool: Pg.Pool;
  private ready: Promise<void> | undefined;
  private closed = false;
  /** Whether the database is unreachable and listeners were told so (see onDatabaseWait). */
  private waiting = false;
  /** Whether a connection was ever made: until then a host name that does not resolve is a typo, not a fault to wait out. */
  private reached = false;

  constructor(readonly options: PgOptions) {
    this.pool = new (pg().Pool)({
      connectionString: options.connectionString,
      max: options.poolSize,
      idleTimeoutMillis: 30_000,
      // An idle connection does not keep the process alive: a script that never closes its study exits
      // when its work is done (a connection in use still does).
      allowExitOnIdle: true,
      // Recycled before a firewall or the server's idle timeout can cut them (optuna#5600).
      maxLifetimeSeconds: 600,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      query_timeout: options.queryTimeoutMs,
      application_name: `sweep ${hostname()}:${process.pid}`,
      options: `-c search_path=${quoteIdent(options.schema)}`,
      types,
    });
    // An idle connection dropped by a restart is an event, not a crash: the next call reconnects.
    this.pool.on('error', () => undefined);
  }

  /**
   * Runs `body` on a pooled connection; in a transaction when `transaction`. Retried with backoff
   * (25 ms doubling to 2 s) on serialization failures, deadlocks and lost connections, for up to
   * `retryForMs`; then a StorageError. The body must be safe to run again (idempotent or rolled back).
   */
  async run<T>(context: string, body: (client: Queryable) => Promise<T>, transaction = false): Promise<T> {
    const deadline = Date.now() + this.options.retryForMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.migrated();
        const result = await this.once(body, transaction);
        this.waiting = false;
        return result;
      } catch (error) {
        // A name that never resolved (postgresql://db.lba/...) will not start to: fail at once, naming
        // it. Once connected, it is waited out like a refused connection (Docker's DNS drops a stopped
        // container's name while it restarts); so is EAI_AGAIN, the resolver's own temporary failure.
        if (!this.reached && unknownHost(error) !== undefined) throw unknownHostError(error, this.options);
        if (this.closed || !isRetryable(error) || Date.now() >= deadline) throw toSweepError(error, context, this.options);
        if (isConnectionError(error)) {
          this.ready = undefined; // a restarted server may have lost nothing, but check
          if (!this.waiting) {
            this.waiting = true;
            notifyDatabaseWait({ uri: this.options.displayUri, reason: error instanceof Error ? error.message : String(error), retryForMs: this.options.retryForMs });
          }
        }
        await sleep(Math.min(2000, 25 * 2 ** Math.min(attempt, 7)) * (0.5 + Math.random() / 2));
      }
    }
  }

  /**
   * Calls a plpgsql function of schema-functions.ts: ONE statement, prepared once per connection,
   * with bound values, in its own transaction. Whether its commit waits for the disk is the
   * function's to say (schema-functions.ts): a finish does, holding only its own trial's rows
   * meanwhile, so the commits of many processes share a disk flush; creating a trial does not, so
   * the study's creation lock goes at once.
   */
  async call<T extends Pg.QueryResultRow>(context: string, fn: string, values: readonly unknown[], columns = '*'): Promise<T[]> {
    const text = `SELECT ${columns} FROM ${fn}(${values.map((_, i) => `$${i + 1}`).join(', ')})`;
    return this.run(context, async (client) => (await client.query<T>({ name: fn, text, values: [...values] })).rows);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private migrated(): Promise<void> {
    this.ready ??= this.withClient((client) => migrate(client, this.options.schema)).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private once<T>(body: (client: Queryable) => Promise<T>, transaction: boolean): Promise<T> {
    if (!transaction) return this.withClient(body);
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await body(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * `body` on a checked-out connection. A connection cut while checked out emits 'error' (unhandled, it
   * would end the process): it is caught here, and such a connection, or one a query found lost, is
   * released as broken so the pool drops it; the call fails and is retried by run().
   */
  private async withClient<T>(body: (client: Pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    this.reached = true;
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      return await body(client);
    } catch (error) {
      if (isConnectionError(error)) broken ??= error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}

/** A value as an SQL literal: NULL, a quoted string, or an array literal (quoted) of strings or numbers. */
export function toLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) {
    const items = value.map((v) => `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    return pg().escapeLiteral(`{${items.join(',')}}`);
  }
  return pg().escapeLiteral(String(value));
}

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '53400']);
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08') || code.startsWith('57P'))) return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Connection ended|Query read timeout/i.test(message);
}

/** The host name of a getaddrinfo ENOTFOUND (no such name); undefined for any other error. */
function unknownHost(error: unknown): string | undefined {
  const { code, hostname } = error as { code?: unknown; hostname?: unknown };
  if (code !== 'ENOTFOUND') return undefined;
  return typeof hostname === 'string' ? hostname : '?';
}

function unknownHostError(error: unknown, options: PgOptions): ConfigError {
  return new ConfigError(`cannot reach PostgreSQL at ${options.displayUri}: no host named "${unknownHost(error)}" (ENOTFOUND)`, {
    cause: error,
    hint: 'check the host name in the URL',
  });
}

function isRetryable(error: unknown): boolean {
  if (isSweepError(error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && RETRYABLE_SQLSTATES.has(code)) || isConnectionError(error);
}

/** A pg error as a sweep error: the functions' own SQLSTATEs and unique violations by kind; the rest StorageError. */
export function toSweepError(error: unknown, context: string, options: PgOptions): Error {
  if (isSweepError(error)) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'SWIMM':
      return new ImmutableValueError(message, { cause: error, hint: 'params are immutable once logged; log a metric or a tag for values that change' });
    case 'SWDUP':
      return new DuplicateError(message, { cause: error });
    case 'SWBUD':
      return new BudgetExhaustedError(message, { cause: error });
    case 'SWTRN':
      return new InvalidTransitionError(message, { cause: error });
    case 'SWNFD':
      return new NotFoundError(message, { cause: error });
    case '23505':
      return new DuplicateError(`${context}: ${message}`, { cause: error });
    case '3D000': // invalid_catalog_name: no such database
      return new ConfigError(`${context}: ${message} at ${options.displayUri}`, { cause: error, hint: 'create it (createdb) or fix the database name in the URL' });
    case '28000': // invalid_authorization_specification (pg_hba.conf)
    case '28P01': // invalid_password
      return new ConfigError(`${context}: ${message} at ${options.displayUri}`, { cause: error, hint: 'the user and password go in the URL, ~/.pgpass or PGPASSWORD' });
    case '22021': // character_not_in_repertoire: text with U+0000
    case '22P05': // untranslatable_character: \u0000 in jsonb
      return new ConfigError(`${context}: PostgreSQL cannot store text containing the character \\u0000 (${message})`, { cause: error });
    default:
      break;
  }
  if (isConnectionError(error)) {
    return new StorageError(`${context}: cannot reach PostgreSQL at ${options.displayUri}: ${message}`, {
      cause: error,
      details: { unavailable: true }, // the server answers 503: worth a retry once the database is back
      hint: `is PostgreSQL running and reachable from ${hostname()}? (retried for ${Math.round(options.retryForMs / 1000)} s; ?retry_for=SECONDS changes that)`,
    });
  }
  return new StorageError(`${context}: ${message}`, { cause: error });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

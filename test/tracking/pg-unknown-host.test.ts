// A PostgreSQL host name that does not resolve: a typo fails at once, naming the host; a name that
// resolved before and stops resolving for a while (Docker's DNS while the database's container
// restarts) is waited out like a refused connection. DNS answers come from a stand-in dns.lookup.
import dns from 'node:dns';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { PgConnection, parsePgUri } from '../../src/tracking/postgres/connection.js';
import { PG_URL, dropSchema, freshSchema, pgAvailable } from '../helpers/pg.js';

const reachable = await pgAvailable();
const HOST = 'sweep-db.invalid';
const realLookup = dns.lookup;
let resolves = true;
let notFound = 0;
/** Called on each ENOTFOUND answer; may set `resolves` again. */
let onNotFound = (): void => undefined;

/** Answers HOST with the test server's address (or ENOTFOUND while !resolves); other names as usual. */
function standInLookup(hostname: string, options: unknown, callback?: unknown): void {
  const done = (typeof options === 'function' ? options : callback) as (error: Error | null, address?: unknown, family?: number) => void;
  if (hostname !== HOST) return void (realLookup as (...args: unknown[]) => void)(hostname, options, callback);
  if (!resolves) {
    notFound++;
    onNotFound();
    return void process.nextTick(done, Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname }));
  }
  const address = new URL(PG_URL).hostname;
  const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all === true;
  process.nextTick(() => (all ? done(null, [{ address, family: 4 }]) : done(null, address, 4)));
}

const schemas: string[] = [];
const connections: PgConnection[] = [];
afterEach(async () => {
  dns.lookup = realLookup;
  for (const c of connections.splice(0)) await c.close();
  for (const s of schemas.splice(0)) await dropSchema(s);
});

function connect(retryForSec: number): PgConnection {
  dns.lookup = standInLookup as typeof dns.lookup;
  const url = new URL(PG_URL);
  url.hostname = HOST;
  const schema = freshSchema();
  schemas.push(schema);
  const connection = new PgConnection(parsePgUri(`${url.toString()}?schema=${schema}&retry_for=${retryForSec}`));
  connections.push(connection);
  return connection;
}

describe.runIf(reachable)('a PostgreSQL host name that does not resolve', () => {
  it('fails at once with a ConfigError naming the host, when it never resolved', async () => {
    resolves = false;
    notFound = 0;
    onNotFound = () => undefined;
    const connection = connect(30);
    const failure = await connection.run('probe', (client) => client.query('SELECT 1')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toBe(`cannot reach PostgreSQL at ${connection.options.displayUri}: no host named "${HOST}" (ENOTFOUND)`);
    expect(notFound).toBe(1); // asked once, not retried
  });

  it('waits out a name that stops resolving after it was reached', async () => {
    resolves = true;
    notFound = 0;
    const connection = connect(60);
    await connection.run('first', (client) => client.query('SELECT 1'));
    // The database "restarts": its connections are cut and its name is gone for three lookups.
    resolves = false;
    onNotFound = () => {
      if (notFound === 3) resolves = true;
    };
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [`sweep ${(await import('node:os')).hostname()}:${process.pid}`]);
    await admin.end();
    const { rows } = await connection.run('after', (client) => client.query<{ one: number }>('SELECT 1 AS one'));
    expect(rows[0]?.one).toBe(1);
    expect(notFound).toBe(3);
  });
});

// `sweep server`: serves a store over MLflow's REST API until SIGINT or SIGTERM, then closes the server
// (requests in flight finish) and the store.
import { ConfigError } from '../../errors.js';
import { startServer } from '../../server/start.js';
import { openStore, resolveStorageUri } from '../../tracking/open-store.js';
import { PgStore } from '../../tracking/postgres/pg-store.js';
import { intFlag, numberFlag, openExistingStore, stringFlag, type CliIO } from '../io.js';

export interface ServerFlags {
  readonly host?: unknown;
  readonly port?: unknown;
  readonly storage?: unknown;
  readonly artifactsDestination?: unknown;
  readonly token?: unknown;
  readonly requestTimeout?: unknown;
  /** cac gives `--access-log` / `--no-access-log` as true / false. */
  readonly accessLog?: unknown;
}

/**
 * `sweep ui`: the same server, for one person at a browser: no access log unless asked (`--access-log`),
 * and the URL to open (with a one-time login code when a token is set).
 */
export async function uiCommand(flags: ServerFlags, io: CliIO): Promise<number> {
  // A viewer: a mistyped --storage path is refused, not served as a new empty database.
  return serverCommand({ ...flags, accessLog: flags.accessLog ?? false }, io, false);
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/**
 * `sweep server`: a service, so it logs every request to stderr unless `--no-access-log`. It creates
 * the SQLite file when there is none (MLflow clients log to it); `mayCreate` false refuses instead.
 */
export async function serverCommand(flags: ServerFlags, io: CliIO, mayCreate = true): Promise<number> {
  const host = stringFlag('host', flags.host) ?? '127.0.0.1';
  const port = intFlag('port', flags.port, 0) ?? 5000;
  if (port > 65535) throw new ConfigError(`--port must be at most 65535, got ${port}`);
  const token = stringFlag('token', flags.token) ?? nonEmpty(io.env['SWEEP_SERVER_TOKEN']);
  const artifactsDestination = stringFlag('artifacts-destination', flags.artifactsDestination);
  const requestTimeoutSec = numberFlag('request-timeout', flags.requestTimeout, 1);
  const accessLog = flags.accessLog === undefined ? true : flags.accessLog === true || flags.accessLog === 'true';
  const storage = stringFlag('storage', flags.storage);
  const store = mayCreate ? openStore(resolveStorageUri(storage, io.env)) : openExistingStore(storage, io);
  if (store instanceof PgStore && artifactsDestination === undefined) {
    const note = store.checkArtifactLocation();
    if (note !== undefined) io.stderr.write(`Note: ${note}; or pass --artifacts-destination DIR\n`);
  }
  let server;
  try {
    server = await startServer({
      store,
      host,
      port,
      ...(token !== undefined && { token }),
      ...(artifactsDestination !== undefined && { artifactsDestination }),
      ...(requestTimeoutSec !== undefined && { requestTimeoutMs: requestTimeoutSec * 1000 }),
      ...(accessLog && { accessLog: (line: string) => io.stderr.write(`${line}\n`) }),
      onInternalError: (error) => io.stderr.write(`sweep server: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
    });
  } catch (error) {
    await store.close();
    throw listenError(error, host, port);
  }
  io.stdout.write(`sweep server listening on ${server.url} (storage ${store.uri}, artifacts ${artifactsDestination ?? store.artifactRoot})\n`);
  if (token !== undefined) io.stdout.write(`web UI: open ${server.loginUrl()} (a one-time login link; clients send "Authorization: Bearer <token>")\n`);
  else io.stdout.write(`web UI: open ${server.url}/\n`);
  if (!LOOPBACK.test(host) && token === undefined) {
    io.stderr.write(`sweep server: warning: bound to ${host} without --token; anyone who can reach it can read and write runs\n`);
  }
  const signal = await waitForSignal();
  io.stderr.write(`sweep server: ${signal} received, shutting down\n`);
  await server.close();
  await store.close();
  return 0;
}

// --- internal ---

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'EADDRINUSE') return new ConfigError(`cannot listen on ${host}:${port}: the port is in use`, { hint: 'pick another with --port (0 picks a free one)' });
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new ConfigError(`cannot listen on ${host}:${port}: no such local address`, { hint: 'use --host 127.0.0.1' });
  if (code === 'EACCES') return new ConfigError(`cannot listen on ${host}:${port}: permission denied`, { hint: 'use a port above 1023' });
  return error;
}

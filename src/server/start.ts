// Starting and stopping the server on a host and port: what `sweep server` and the tests call.
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from './app.js';
import { BrowserSessions, isLoopbackHost } from './guard.js';

export interface StartOptions extends ServerOptions {
  /** Default 127.0.0.1 (loopback only). */
  readonly host?: string;
  /** Default 5000; 0 picks a free port. */
  readonly port?: number;
}

export interface RunningServer {
  /** `http://host:port`, with the port actually bound. */
  readonly url: string;
  readonly app: FastifyInstance;
  /**
   * With a token: a URL that logs a browser in once (a fresh one-time code each call), for `sweep ui`
   * to print. Without a token: the plain URL.
   */
  loginUrl(): string;
  /** Stops accepting, lets requests in flight finish, then resolves. */
  close(): Promise<void>;
}

/** Builds the app and listens. @throws when the port is taken or the host cannot be bound */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const sessions = options.sessions ?? new BrowserSessions();
  // Bound to loopback: answer loopback Host names only (DNS rebinding); elsewhere the user chose the exposure.
  const hostCheck = options.hostCheck ?? (isLoopbackHost(host) ? 'loopback' : 'any');
  const app = buildServer({ ...options, sessions, hostCheck });
  await app.listen({ host, port: options.port ?? 5000 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port ?? 5000;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}`;
  const loginUrl = (): string => (options.token === undefined ? `${url}/` : `${url}/login?code=${sessions.issueLoginCode()}`);
  return { url, app, loginUrl, close: () => app.close() };
}

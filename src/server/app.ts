// The MLflow-compatible tracking server as a Fastify app: JSON decoding, bearer-token check, MLflow's
// error shape for every failure (never a stack trace), and the route tables under the API prefixes.
import { mkdir } from 'node:fs/promises';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { ConfigError } from '../errors.js';
import { isProxyLocation } from '../tracking/artifact-sink.js';
import type { TrackingStore } from '../tracking/store.js';
import { addAccessLog, type AccessLogSink } from './access-log.js';
import { ArtifactRepo } from './artifact-paths.js';
import type { ApiRoute, ServerContext } from './context.js';
import { answerClientError, ApiError, isReadOnlyError, toErrorResponse } from './errors.js';
import { addHostCheck, addTokenCheck, BrowserSessions } from './guard.js';
import { Fields, checkJsonDepth } from './request.js';
import { artifactListRoute, registerArtifactProxy } from './routes/artifacts.js';
import { experimentRoutes } from './routes/experiments.js';
import { loggingRoutes } from './routes/logging.js';
import { registryRoutes } from './routes/registry.js';
import { registerModelArtifactRoute } from './routes/model-artifacts.js';
import { runModelRoutes } from './routes/run-models.js';
import { runRoutes } from './routes/runs.js';
import { sweepRoutes } from './routes/sweep.js';
import { registerUi } from './routes/ui.js';

export interface ServerOptions {
  readonly store: TrackingStore;
  /** Where proxied artifacts are kept; default: the store's artifact root. */
  readonly artifactsDestination?: string;
  /**
   * When set, every request but /health and /login needs `Authorization: Bearer <token>` or a browser
   * session cookie (see guard.ts).
   */
  readonly token?: string;
  /** Login codes and browser sessions for `token`; one is made when absent. */
  readonly sessions?: BrowserSessions;
  /**
   * `loopback` (the default) answers only requests whose Host is a loopback name or address, against
   * DNS rebinding; `any` is for servers bound to other interfaces.
   */
  readonly hostCheck?: 'loopback' | 'any';
  /** Receives one access-log line per request; none when absent. */
  readonly accessLog?: AccessLogSink;
  /** Largest JSON body accepted (bytes); default 16 MiB. */
  readonly bodyLimitBytes?: number;
  /** Largest artifact upload (bytes); default 1 GiB. */
  readonly maxArtifactBytes?: number;
  /**
   * How long a client may take to send one whole request, headers and body (ms); default 10 minutes
   * (a 1 GiB artifact at 1.8 MB/s). Past it the request is answered 408 and its connection closed, so
   * clients that trickle a body cannot hold connections and buffers forever (Fastify's default: never).
   */
  readonly requestTimeoutMs?: number;
  /** Receives internal errors (5xx) with their stack; clients only see a short message. */
  readonly onInternalError?: (error: unknown) => void;
}

export const API_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;
export const SWEEP_PREFIX = '/api/2.0/sweep';
export const SERVER_VERSION = '0.1.0';

/** Builds the app; `listen` or `inject` it. The Default experiment "0" is ensured when it gets ready. */
export function buildServer(options: ServerOptions): FastifyInstance {
  const bodyLimit = options.bodyLimitBytes ?? 16 * 1024 * 1024;
  const requestTimeout = options.requestTimeoutMs ?? 10 * 60 * 1000;
  const app = Fastify({
    logger: false, bodyLimit, return503OnClosing: true, forceCloseConnections: 'idle', requestTimeout,
    // Requests Fastify refuses before any route (bad %-encoding in the URL; unparsable HTTP) answer in MLflow's shape too.
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, _request, reply) => {
      const { status, body } = toErrorResponse(error);
      void (reply as FastifyReply).status(status).type('application/json').send(body);
    },
    // Node checks the timeouts this often (30 s by default, coarser than a short timeout).
    http: { headersTimeout: Math.min(60_000, requestTimeout), connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(requestTimeout / 4))) },
  });
  const root = options.store.artifactRoot;
  if (isProxyLocation(root) && options.artifactsDestination === undefined) {
    throw new ConfigError(`storage ${options.store.uri} keeps new artifacts on the server ${root}; this server needs --artifacts-destination DIR to keep the ones uploaded to it`);
  }
  const artifacts = new ArtifactRepo(isProxyLocation(root) ? (options.artifactsDestination as string) : root, options.artifactsDestination ?? root);
  const ctx: ServerContext = { store: options.store, artifacts, present: (uri) => artifacts.present(uri) };

  app.addHook('onReady', async () => {
    try {
      await options.store.ensureDefaultExperiment();
    } catch (error) {
      // A read-only store serves what it holds; its writes answer 403 with the reason.
      if (isReadOnlyError(error)) return;
      throw error;
    }
    await mkdir(artifacts.destination, { recursive: true });
  });
  if ((options.hostCheck ?? 'loopback') === 'loopback') addHostCheck(app);
  if (options.accessLog !== undefined) addAccessLog(app, options.accessLog);
  // No answer is ever content-sniffed into something it was not sent as (an artifact into HTML, say).
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    return payload;
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  if (options.token !== undefined) addTokenCheck(app, options.token, options.sessions ?? new BrowserSessions());

  app.setErrorHandler((error, request, reply) => {
    const { status, body, isInternal } = toErrorResponse(mediaTypeError(error, request.headers['content-type']));
    if (isInternal) options.onInternalError?.(error);
    return reply.status(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).type('application/json').send({
      error_code: 'ENDPOINT_NOT_FOUND',
      message: `No endpoint ${request.method} ${request.url.split('?')[0] ?? ''}`,
    }),
  );

  app.get('/health', async (_request, reply) => reply.type('text/plain').send('OK'));
  app.get('/version', async (_request, reply) => reply.type('text/plain').send(SERVER_VERSION));

  const routes = [
    ...experimentRoutes(ctx), ...runRoutes(ctx), ...loggingRoutes(ctx), ...runModelRoutes(ctx), ...registryRoutes(ctx), artifactListRoute(ctx),
  ];
  for (const prefix of API_PREFIXES) for (const route of routes) addRoute(app, prefix, route);
  for (const route of sweepRoutes(ctx)) addRoute(app, SWEEP_PREFIX, route);
  registerArtifactProxy(app, ctx, options.maxArtifactBytes ?? 1024 ** 3);
  registerModelArtifactRoute(app, ctx, ['/ajax-api/2.0/mlflow']);
  registerUi(app, ctx);
  return app;
}

// --- internal ---

function addRoute(app: FastifyInstance, prefix: string, route: ApiRoute): void {
  app.route({
    method: route.method,
    url: `${prefix}${route.path}`,
    handler: async (request, reply) => {
      // DELETE takes a JSON body (MLflow's clients) or, from others, the query string.
      const fields = route.method === 'GET' || (route.method === 'DELETE' && request.body === undefined) ? Fields.ofQuery(request.query) : Fields.of(request.body);
      return reply.type('application/json').send(await route.handler(fields));
    },
  });
}

/** Empty means `{}`; a JSON string holding JSON is decoded again (legacy clients double-encode). */
function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  checkJsonDepth(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
    if (typeof value === 'string' && /^\s*[{[]/.test(value)) {
      checkJsonDepth(value);
      value = JSON.parse(value);
    }
  } catch (error) {
    throw new ApiError('INVALID_PARAMETER_VALUE', `Malformed JSON in the request body: ${(error as Error).message}`);
  }
  return value;
}

function mediaTypeError(error: unknown, contentType: string | undefined): unknown {
  if ((error as { code?: unknown }).code !== 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return error;
  return new ApiError('INVALID_PARAMETER_VALUE', `Bad Request. Content-Type must be one of [application/json]. Got '${contentType ?? ''}'.`);
}

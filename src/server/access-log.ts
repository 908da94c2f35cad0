// The access log: one line per answered request (time, client, method, path, status, duration), written
// when the response is sent. Never a credential: headers are not logged, and the values of query
// parameters that can carry one (the login code, a token) are replaced by `***`.
import type { FastifyInstance } from 'fastify';

/** Receives each line, without its newline. */
export type AccessLogSink = (line: string) => void;

export function addAccessLog(app: FastifyInstance, sink: AccessLogSink): void {
  app.addHook('onResponse', async (request, reply) => {
    const ms = reply.elapsedTime;
    sink(`${new Date().toISOString()} ${request.ip} ${request.method} ${redactedPath(request.url)} ${reply.statusCode} ${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms`);
  });
}

/** The request target with secret query values masked and control characters escaped. */
export function redactedPath(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = decodeSafe(eq < 0 ? pair : pair.slice(0, eq)).toLowerCase();
    return eq >= 0 && SECRET_KEYS.has(key) ? `${pair.slice(0, eq)}=***` : pair;
  }).join('&');
  // eslint-disable-next-line no-control-regex
  return (q < 0 ? path : `${path}?${query}`).replace(/[\x00-\x20\x7f"\\]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

// --- internal ---

const SECRET_KEYS: ReadonlySet<string> = new Set(['code', 'token', 'access_token', 'password']);

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

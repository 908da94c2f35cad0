// Who may talk to the server: the Host check against DNS rebinding (a loopback-bound server answers
// only loopback names), and with a token, `Authorization: Bearer <token>` for clients or a browser
// session cookie, got by trading a one-time login code (`/login?code=...`, the URL `sweep ui` prints)
// or the token itself (the form at /login). The cookie is HttpOnly and SameSite=Strict.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** One-time login codes and the browser sessions they open; all in memory, gone with the server. */
export class BrowserSessions {
  /** Unique per server, so two servers on one host (cookies ignore ports) never clash. */
  readonly cookieName = `sweep_session_${randomBytes(4).toString('hex')}`;
  private readonly codes = new Set<string>();
  private readonly sessions = new Set<string>();

  /** A fresh code, good for one login. */
  issueLoginCode(): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.add(code);
    return code;
  }

  /** Spends a code: a new session id, or undefined when the code is unknown or already used. */
  redeem(code: string): string | undefined {
    if (!this.codes.delete(code)) return undefined;
    return this.open();
  }

  open(): string {
    const id = randomBytes(32).toString('base64url');
    this.sessions.add(id);
    return id;
  }

  isSession(id: string | undefined): boolean {
    return id !== undefined && this.sessions.has(id);
  }
}

/**
 * Refuses requests whose Host header is not a loopback name or address (403), so a page on another
 * site that rebinds its name to 127.0.0.1 cannot reach the server. For servers bound to loopback.
 */
export function addHostCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    if (host === undefined || isLoopbackHost(host)) return;
    await reply.status(403).type('application/json').send({
      error_code: 'PERMISSION_DENIED',
      message: `Host ${JSON.stringify(host.slice(0, 100))} is not a loopback name: this server is bound to loopback and answers only localhost, 127.0.0.1 or [::1] (a guard against DNS rebinding)`,
    });
  });
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 or ::1, with or without a port. */
export function isLoopbackHost(hostHeader: string): boolean {
  const host = hostHeader.trim().toLowerCase();
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Bearer token or session cookie on every request but /health and the login page. */
export function addTokenCheck(app: FastifyInstance, token: string, sessions: BrowserSessions): void {
  const expected = Buffer.from(`Bearer ${token}`);
  const isToken = (given: string): boolean => {
    const bytes = Buffer.from(given);
    const wanted = Buffer.from(token);
    return bytes.length === wanted.length && timingSafeEqual(bytes, wanted);
  };
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (path === '/health' || path === '/login') return;
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
    if (sessions.isSession(cookieOf(request, sessions.cookieName))) return;
    if (request.method === 'GET' && path === '/') return reply.redirect('/login', 303);
    await reply
      .status(401)
      .header('www-authenticate', 'Bearer')
      .type('application/json')
      .send({ error_code: 'UNAUTHENTICATED', message: 'Missing or invalid credentials: send "Authorization: Bearer <token>", or log in to the web UI at /login' });
  });

  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.get('/login', async (request, reply) => {
      const code = (request.query as Record<string, unknown>)['code'];
      if (typeof code === 'string' && code !== '') {
        const session = sessions.redeem(code);
        if (session !== undefined) return startSession(reply, sessions.cookieName, session);
        return loginPage(reply, 401, 'That login link was already used or is not valid. Paste the server\'s token instead.');
      }
      return loginPage(reply, 200);
    });
    scope.post('/login', async (request, reply) => {
      const given = (request.body as Record<string, unknown> | undefined)?.['token'];
      if (typeof given === 'string' && isToken(given)) return startSession(reply, sessions.cookieName, sessions.open());
      return loginPage(reply, 401, 'Wrong token.');
    });
  });
}

// --- internal ---

function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function startSession(reply: FastifyReply, cookieName: string, session: string): FastifyReply {
  return reply
    .header('set-cookie', `${cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict`)
    .header('cache-control', 'no-store')
    .redirect('/', 303);
}

function loginPage(reply: FastifyReply, status: number, problem?: string): FastifyReply {
  const note = problem === undefined ? '' : `<p role="alert">${problem}</p>`;
  return reply
    .status(status)
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><meta charset="utf-8"><title>sweep: log in</title>
<style>body{font:15px system-ui;margin:4em auto;max-width:28em}input{width:100%;padding:.4em;margin:.4em 0}</style>
<h1>sweep</h1>${note}<p>This server needs its token. Open the link <code>sweep ui</code> or <code>sweep server</code> printed, or paste the token:</p>
<form method="post" action="/login"><input type="password" name="token" autocomplete="current-password" autofocus><button>Log in</button></form>`);
}

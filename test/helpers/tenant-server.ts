// One loopback HTTP server in front of many sweep server apps, each under its own path prefix
// (/t/<n>/…): the store contract runs through HttpStore with a fresh app and store per contract store.
import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/server/app.js';
import type { TrackingStore } from '../../src/tracking/store.js';

export class TenantServer {
  private readonly tenants = new Map<string, Promise<FastifyInstance>>();
  private server: Server | undefined;
  private base = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const match = /^\/t\/(\d+)(\/.*)$/.exec(req.url ?? '');
      const tenant = match ? this.tenants.get(match[1] as string) : undefined;
      if (!match || !tenant) {
        res.writeHead(404).end();
        return;
      }
      req.url = match[2] as string;
      void tenant.then((app) => app.routing(req, res));
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  /** Serves `store` through its own server app; returns that app's base URL. */
  add(store: TrackingStore, token?: string): string {
    const id = String(this.tenants.size);
    const app = buildServer({ store, ...(token !== undefined && { token }) });
    this.tenants.set(id, (async () => {
      await app.ready();
      return app;
    })());
    return `${this.base}/t/${id}`;
  }

  /** Closes every app and the server (not the stores: their owners close them). */
  async close(): Promise<void> {
    for (const app of this.tenants.values()) await (await app).close();
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

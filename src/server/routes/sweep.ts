// Sweep-specific endpoints under /api/2.0/sweep/ (studies and trials) for the HTTP store.
import type { ApiRoute, ServerContext } from '../context.js';

export function sweepRoutes(_ctx: ServerContext): ApiRoute[] {
  return [];
}

// Sweep-specific endpoints under /api/2.0/sweep/: the study and trial methods of the TrackingStore as
// RPC (`POST /store/<method>` with `{"args": [...]}`, answered `{"result": ...}`), used by HttpStore.
// Every argument is checked against rpc-schemas.ts first: a bad call is a 400, never a 500 or bad data.
import { decodeWire, encodeWire, STORE_RPC_METHODS } from '../../tracking/http/wire.js';
import type { ApiRoute, ServerContext } from '../context.js';
import { checkRpcArgs } from '../rpc-schemas.js';

export function sweepRoutes(ctx: ServerContext): ApiRoute[] {
  return STORE_RPC_METHODS.map((name) => ({
    method: 'POST' as const,
    path: `/store/${name}`,
    handler: async (f) => {
      const args = decodeWire(f.value('args') ?? []);
      if (!Array.isArray(args)) throw f.invalid('args', args, 'expected a list of arguments');
      checkRpcArgs(name, args);
      const method = ctx.store[name] as (...a: unknown[]) => Promise<unknown>;
      const result = await method.apply(ctx.store, args);
      return result === undefined ? {} : { result: encodeWire(result) };
    },
  }));
}

// Sweep-specific endpoints under /api/2.0/sweep/: the study and trial methods of the TrackingStore as
// RPC (`POST /store/<method>` with `{"args": [...]}`, answered `{"result": ...}`), used by HttpStore.
// Every argument is checked against rpc-schemas.ts first: a bad call is a 400, never a 500 or bad data.
import { storeNow } from '../../study/liveness.js';
import { decodeWire, encodeWire, STORE_RPC_METHODS, type StoreRpcMethod } from '../../tracking/http/wire.js';
import type { TrialProgress, TrackingStore } from '../../tracking/store.js';
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
      const result = await call(ctx.store, name, args);
      return result === undefined ? {} : { result: encodeWire(result) };
    },
  }));
}

// --- internal ---

/**
 * One store call. Liveness is judged on the server's clock, whatever its clients' clocks say: the
 * server stamps heartbeats as they arrive (the client's stamp is ignored) and answers `clock` for the
 * clients' stale checks, both on its store's clock (the database's, for a store several hosts share)
 * as a host writing to that store directly would. A client an hour off can then neither keep its dead
 * trials alive nor get its live ones reaped.
 */
async function call(store: TrackingStore, name: StoreRpcMethod, args: unknown[]): Promise<unknown> {
  switch (name) {
    case 'clock':
      return storeNow(store);
    case 'heartbeat':
      return store.heartbeat(args[0] as number[], await storeNow(store));
    case 'recordTrialProgress': {
      const progress = args[1] as TrialProgress;
      // The writer's own Date.now(), which a store with a clock() moves onto it (TrialProgress).
      return store.recordTrialProgress(args[0] as number, progress.heartbeat === undefined ? progress : { ...progress, heartbeat: Date.now() });
    }
    default:
      return (store[name] as (...a: unknown[]) => Promise<unknown>).apply(store, args);
  }
}

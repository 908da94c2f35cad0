// The sweep RPC's wire format, shared by the server's /api/2.0/sweep/store/<method> routes and HttpStore:
// which store methods travel, and numbers JSON cannot hold (NaN, ±Infinity) as {"$number": "NaN"}.
import type { TrackingStore } from '../store.js';

/** Store methods served as RPC: the study and trial half of the contract (MLflow has no API for it). */
export const STORE_RPC_METHODS = [
  'createStudy', 'getStudy', 'listStudies', 'createTrial', 'claimWaitingTrial', 'setTrialParams',
  'recordTrialProgress', 'finishTrial', 'heartbeat', 'getTrials', 'syncTrials', 'clock',
] as const satisfies readonly (keyof TrackingStore)[];

export type StoreRpcMethod = (typeof STORE_RPC_METHODS)[number];

/** A copy of `value` with non-finite numbers boxed, ready for JSON.stringify. */
export function encodeWire(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) };
  if (Array.isArray(value)) return value.map(encodeWire);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeWire(v)]));
  }
  return value;
}

/** The inverse of encodeWire, on parsed JSON. */
export function decodeWire(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeWire);
  if (value !== null && typeof value === 'object') {
    const boxed = (value as { $number?: unknown }).$number;
    if (typeof boxed === 'string' && Object.keys(value).length === 1) return Number(boxed);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeWire(v)]));
  }
  return value;
}

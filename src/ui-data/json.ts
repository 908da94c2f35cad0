// JSON shapes shared by the UI data functions and the front end, and small helpers: finite numbers
// only (NaN and ±Infinity become null), filter errors as `{ error, column }`.
import { isSweepError } from '../errors.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A value the UI can draw: finite numbers stay, NaN and ±Infinity become null (JSON has neither). */
export function finite(value: number | null | undefined): number | null {
  return value === null || value === undefined || !Number.isFinite(value) ? null : value;
}

/**
 * A filter or order_by error for inline display: the ConfigError's message (it names the column) and
 * the column itself when the parser gave one. Anything else is rethrown.
 */
export function filterError(error: unknown): { error: string; column: number | null } {
  if (!isSweepError(error) || error.code !== 'E_CONFIG') throw error;
  const column = error.details?.['column'];
  return { error: error.message, column: typeof column === 'number' ? column : null };
}

/** Page size from a query value: default when absent, clamped to [1, max]. */
export function pageSize(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(value)));
}

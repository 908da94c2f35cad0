// Parsing flag values as cac hands them (numbers or strings), with one clear error naming the flag.
// Kept apart from io.ts (which opens stores) so that `sweep run` can read its executor flags before
// it loads the rest of itself.
import { ConfigError } from '../errors.js';

/** Parses an integer flag (cac hands numbers or strings). @throws ConfigError naming the flag */
export function intFlag(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`--${name} must be an integer >= ${min}, got ${String(value)}`);
  return n;
}

export function numberFlag(name: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n < min) throw new ConfigError(`--${name} must be a number >= ${min}, got ${String(value)}`);
  return n;
}

export function stringFlag(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean' || value === '') throw new ConfigError(`--${name} needs a value`);
  return String(value);
}

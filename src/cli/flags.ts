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

/** The longest delay Node's timers keep (2^31 - 1 ms): a longer one fires after 1 ms instead. */
const MAX_TIMER_SEC = Math.floor((2 ** 31 - 1) / 1000);

/**
 * A duration flag in seconds that sets a timer (--trial-timeout, --heartbeat-interval): at least `min`,
 * and no longer than a timer can wait. @throws ConfigError naming the flag
 */
export function timerSecondsFlag(name: string, value: unknown, min: number): number | undefined {
  const seconds = numberFlag(name, value, min);
  if (seconds !== undefined && seconds > MAX_TIMER_SEC) {
    throw new ConfigError(`--${name} must be at most ${MAX_TIMER_SEC} s (about 24.8 days, the longest a timer waits), got ${String(value)}`, {
      ...(name === 'trial-timeout' && { hint: 'leave --trial-timeout out for no limit' }),
    });
  }
  return seconds;
}

/** The most trials at once `--jobs` takes: each is a worker thread (a V8 heap) or a process on this machine. */
const MAX_JOBS = 1024;

/** `--jobs`: 1 to MAX_JOBS (default 1). @throws ConfigError naming the flag */
export function jobsFlag(value: unknown): number {
  const jobs = intFlag('jobs', value, 1) ?? 1;
  if (jobs > MAX_JOBS) throw new ConfigError(`--jobs must be at most ${MAX_JOBS} (each job is a worker thread or a process on this machine), got ${jobs}`);
  return jobs;
}

export function stringFlag(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean' || value === '') throw new ConfigError(`--${name} needs a value`);
  return String(value);
}

// Checks shared by every Trial implementation (this thread's session, a worker's proxy): argument
// validation with one-line messages. (Artifacts: trial-artifacts.ts.)
import { ConfigError } from '../errors.js';

export const METRIC_KEY = /^[A-Za-z0-9_\-. /]+$/;

export function checkStep(method: string, step: unknown): void {
  if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
    throw new ConfigError(`trial.${method}: step must be a non-negative integer, got ${String(step)}`);
  }
}

export function checkNumber(method: string, value: unknown): void {
  if (typeof value !== 'number') throw new ConfigError(`trial.${method}: value must be a number, got ${typeof value}`);
}

export function checkMetricKey(key: unknown): void {
  if (typeof key !== 'string' || !METRIC_KEY.test(key)) {
    throw new ConfigError(`trial.log(${JSON.stringify(key)}): metric names may contain letters, digits, '_', '-', '.', '/' and spaces`);
  }
}

export function checkTag(key: unknown, value: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > 250) {
    throw new ConfigError(`trial.setTag: the key must be a string of 1 to 250 characters, got ${JSON.stringify(key)}`);
  }
  // PostgreSQL text cannot hold U+0000: refused on every store alike, before it can fail a trial's write.
  if (key.includes('\u0000') || value.includes('\u0000')) {
    throw new ConfigError(`trial.setTag(${JSON.stringify(key)}): the key and value must not contain the character \\u0000`);
  }
}

// Storage URIs without the stores: which one is in force, and whether it is PostgreSQL. Kept apart
// from open-store.ts so that what runs first in `sweep run` (cli/commands/run-workers.ts) can ask
// without loading every store.

export const DEFAULT_STORAGE = 'sqlite:./sweep.db';

/** The storage URI in force: the explicit one, else SWEEP_TRACKING_URI when set, else the default. */
export function resolveStorageUri(explicit?: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const fromEnv = env['SWEEP_TRACKING_URI'];
  return explicit ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_STORAGE);
}

export function isPgUri(uri: string): boolean {
  return uri.startsWith('postgresql://') || uri.startsWith('postgres://');
}

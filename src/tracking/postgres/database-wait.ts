// Who is told when this process's PostgreSQL calls start waiting for an unreachable database. Apart
// from connection.ts (which has pg and the schema behind it), so the CLI subscribes without loading them.

/** What a program is told when calls start waiting for an unreachable database. */
export interface DatabaseWait {
  /** The storage URI, its password hidden. */
  readonly uri: string;
  readonly reason: string;
  readonly retryForMs: number;
}

const listeners = new Set<(wait: DatabaseWait) => void>();

/**
 * Calls `listener` once each time a connection of this process starts retrying an unreachable
 * database (not again until a call has gone through), so a program can say why it is waiting: the
 * library itself prints nothing. Returns the function that removes it.
 */
export function onDatabaseWait(listener: (wait: DatabaseWait) => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** @internal connection.ts, when a call first finds the database unreachable. */
export function notifyDatabaseWait(wait: DatabaseWait): void {
  for (const listener of listeners) listener(wait);
}

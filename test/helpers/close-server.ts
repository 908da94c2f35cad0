// Closing an in-process server at once: clients' keep-alive connections (fetch's, the artifact
// uploads') are cut instead of waited for, which the server's idle-only close does not always catch.
import type { RunningServer } from '../../src/server/start.js';

export function closeServer(server: RunningServer): Promise<void> {
  const closed = server.close();
  server.app.server.closeAllConnections();
  return closed;
}

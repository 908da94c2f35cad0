// Whether a study can put its trials' artifacts where its runs say they are, checked before the first
// trial: a server's artifact proxy answers (one request), a shared directory is writable, and the
// experiment's recorded location is of the kind this store writes (a proxy's `mlflow-artifacts:/`
// or a directory).
import { ConfigError } from '../errors.js';
import { PROXY_URI_SCHEME, checkArtifactProxy, isProxyLocation } from '../tracking/artifact-sink.js';
import { PgStore } from '../tracking/postgres/pg-store.js';
import type { TrackingStore } from '../tracking/store.js';

/**
 * @returns a note when artifacts stay on this host only (a PostgreSQL store without a shared location)
 * @throws ConfigError naming the location at fault
 */
export async function checkArtifactLocation(store: TrackingStore, experimentId?: string): Promise<string | undefined> {
  const proxy = isProxyLocation(store.artifactRoot);
  if (experimentId !== undefined) {
    const recorded = (await store.getExperiment(experimentId)).artifactLocation;
    if (recorded.startsWith(PROXY_URI_SCHEME) && !proxy) {
      throw new ConfigError(`experiment ${experimentId} keeps its artifacts on a tracking server (${recorded}), and this run has no server for them`, {
        hint: 'pass --artifacts http://host:5000 (or ?artifacts=http://host:5000 on a PostgreSQL URI), the server that holds them',
      });
    }
    if (proxy && !recorded.startsWith(PROXY_URI_SCHEME) && !isProxyLocation(recorded)) {
      throw new ConfigError(`experiment ${experimentId} keeps its artifacts in ${recorded} (chosen when it was created), not on the server ${store.artifactRoot}`, {
        hint: 'leave --artifacts out for this study, or run it in a new experiment',
      });
    }
  }
  if (proxy) {
    await checkArtifactProxy(store.artifactRoot);
    return undefined;
  }
  return store instanceof PgStore ? store.checkArtifactLocation() : undefined;
}

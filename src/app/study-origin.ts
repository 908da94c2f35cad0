// Where a study's trials came from, as MLflow records a run's origin: the study run gets
// `mlflow.source.name` (the study file), `mlflow.source.type` (LOCAL) and, when the file is in a git
// work tree, `mlflow.source.git.commit`; the study file itself is kept as an artifact of the study run
// (`study/<file name>`), so a registered model leads back to the code that found it.
import { execFileSync } from 'node:child_process';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { artifactSink, isProxyLocation, writeLocationOf } from '../tracking/artifact-sink.js';
import type { TrackingStore } from '../tracking/store.js';

export const TAG_SOURCE_NAME = 'mlflow.source.name';
export const TAG_SOURCE_TYPE = 'mlflow.source.type';
export const TAG_GIT_COMMIT = 'mlflow.source.git.commit';

/**
 * Tags the study's run with the file's origin and copies the file into its artifacts (a directory
 * here, or uploaded to the server's artifact proxy). Returns the tags written. Never fails the study for a missing git or an unwritable copy.
 */
export async function recordStudyOrigin(store: TrackingStore, parentRunId: string, studyFile: string): Promise<Record<string, string>> {
  const path = resolve(studyFile);
  const tags: Record<string, string> = { [TAG_SOURCE_NAME]: path, [TAG_SOURCE_TYPE]: 'LOCAL' };
  const commit = gitCommit(dirname(path));
  if (commit !== undefined) tags[TAG_GIT_COMMIT] = commit;
  await store.logBatch(parentRunId, { tags });
  const run = await store.getRun(parentRunId);
  const location = writeLocationOf(run.info.artifactUri, store.artifactRoot);
  if (isAbsolute(location) || isProxyLocation(location)) {
    try {
      await artifactSink(location).put(path, `study/${basename(path)}`, 'the study file');
    } catch {
      // The study still runs; only the copy of its file is missing.
    }
  }
  return tags;
}

/** HEAD of the git work tree holding `dir`, or undefined (no git, not a work tree). */
function gitCommit(dir: string): string | undefined {
  try {
    const out = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    const commit = out.trim();
    return /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

// The artifact directory a command writes into (its stdout.log / stderr.log, and $SWEEP_ARTIFACT_DIR):
// the trial's own directory when its artifacts are local; for artifacts kept on a server's proxy, a
// scratch directory whose files are uploaded through the trial's io once the command has ended.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrialIO } from '../study/executor.js';
import { TAG_ARTIFACT_ERROR } from '../study/trial-artifacts.js';
import { isProxyLocation } from '../tracking/artifact-sink.js';

export interface StagedArtifacts {
  /** The directory the command writes to. */
  readonly dir: string;
  /** Uploads what the command left there (scratch only), then removes it; on a failure keeps it and says so on the run. */
  upload(io: TrialIO): Promise<void>;
}

export function stageArtifacts(location: string): StagedArtifacts {
  if (!isProxyLocation(location)) return { dir: location, upload: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'sweep-trial-'));
  return {
    dir,
    upload: async (io) => {
      let failure: string | undefined;
      for (const name of readdirSync(dir).sort()) {
        try {
          await io.logArtifact(join(dir, name), name);
        } catch (error) {
          failure = (error as Error).message;
          break; // the rest stay in the scratch directory with it
        }
      }
      if (failure === undefined) rmSync(dir, { recursive: true, force: true });
      else io.setTag(TAG_ARTIFACT_ERROR, `${failure}; the command's artifacts are kept in ${dir}`);
    },
  };
}

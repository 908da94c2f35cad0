// A trial's output log (stdout.log, stderr.log in its artifacts) that never throws: a write error
// (a full disk, a vanished directory) is kept, reported once through onError, and later writes are
// dropped, so the executor can end the trial as FAIL with the reason instead of crashing the run.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

export class TrialLog {
  /** The first write error, if any. */
  error: Error | undefined;
  /** Called once, at the first write error. */
  onError: (error: Error) => void = () => undefined;
  private readonly stream: WriteStream;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      if (this.error !== undefined) return;
      this.error = new Error(`${path}: ${error.message}`);
      this.onError(this.error);
    });
  }

  write(data: Buffer | string): void {
    if (this.error === undefined && !this.stream.destroyed) this.stream.write(data);
  }

  /** More than the stream's buffer is waiting to be written: the producer should wait for whenWritable. */
  get full(): boolean {
    return this.error === undefined && !this.stream.destroyed && this.stream.writableNeedDrain;
  }

  /** Calls `resume` once the buffer has drained or the log has failed or closed. */
  whenWritable(resume: () => void): void {
    let called = false;
    const once = (): void => {
      if (called) return;
      called = true;
      this.stream.off('drain', once);
      this.stream.off('close', once);
      resume();
    };
    this.stream.once('drain', once);
    this.stream.once('close', once);
  }

  /** Flushes and closes; resolves (never rejects) once the file is closed. */
  close(): Promise<void> {
    if (this.stream.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.stream.once('close', () => resolve());
      if (!this.stream.destroyed && !this.stream.writableEnded) this.stream.end();
    });
  }
}

/** stdout.log and stderr.log in the trial's artifact directory; an Error when the directory cannot be made. */
export function openTrialLogs(artifactDir: string): { stdoutLog: TrialLog; stderrLog: TrialLog } | Error {
  try {
    mkdirSync(artifactDir, { recursive: true });
  } catch (error) {
    return error as Error;
  }
  return { stdoutLog: new TrialLog(join(artifactDir, 'stdout.log')), stderrLog: new TrialLog(join(artifactDir, 'stderr.log')) };
}

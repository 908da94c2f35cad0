// Flushing the CLI's output before the process exits. On POSIX, writes to a pipe are asynchronous:
// process.exit() right after a large write drops whatever the kernel pipe has not taken yet (64 KiB
// of `sweep trials --json | jq` was all that arrived). bin.ts waits here first.

/** A writable the CLI prints to (process.stdout, process.stderr). */
export interface DrainableStream {
  readonly writableLength: number;
  readonly destroyed: boolean;
  write(chunk: string, callback: (error?: Error | null) => void): boolean;
  once(event: 'error' | 'close', listener: () => void): unknown;
  removeListener(event: 'error' | 'close', listener: () => void): unknown;
}

/**
 * Resolves when everything written to the stream so far has been handed to the OS, or when the stream
 * can take no more (closed, or its reader went away: EPIPE). Writes complete in order, so the callback
 * of an empty write fires after every earlier chunk.
 */
export function drain(stream: DrainableStream): Promise<void> {
  if (stream.destroyed || stream.writableLength === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeListener('error', done);
      stream.removeListener('close', done);
      resolve();
    };
    stream.once('error', done);
    stream.once('close', done);
    stream.write('', done);
  });
}

/**
 * A reader that goes away (`sweep trials --json | head`) makes the next write fail with EPIPE, which
 * Node raises as an uncaught 'error' event. The output is then simply not wanted: drop it quietly and
 * let the command finish (a `sweep run` still records its trials).
 */
export function ignoreClosedReader(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

// The URL a started `sweep server` process prints ("sweep server listening on http://127.0.0.1:PORT"),
// for tests and benchmarks that run the built server as a child process.
import type { ChildProcess } from 'node:child_process';

/** Resolves the server's URL from its output; rejects if it exits first or prints none in `timeoutMs`. */
export function serverUrl(proc: ChildProcess, timeoutMs = 15_000): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`sweep server printed no URL in ${timeoutMs / 1000} s: ${out}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s/]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`sweep server exited with ${signal ?? String(code)}: ${out}`));
    });
  });
}

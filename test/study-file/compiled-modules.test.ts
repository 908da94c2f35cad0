// The main thread records what tsx compiles only for a threads executor that asks (its workers replay
// the record): an inline or process run loads its study file without the recording hooks. Each case
// runs in a child process of the built package, as the CLI does: the hooks are registered per process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../cli/helpers.js';

const STEADY = join(ROOT, 'test/fixtures/studies/steady.ts');
const GRID = join(ROOT, 'test/fixtures/studies/grid.ts');
const url = (file: string): string => pathToFileURL(file).href;

/** Runs `body` (ES module code with loadStudyFile, requestRecording and recordedModules in scope); resolves with the URLs of the recorded loads. */
function recordedLoads(body: string): Promise<string[]> {
  const dist = (path: string): string => JSON.stringify(url(join(ROOT, 'dist/src/study-file', path)));
  const script = `
    const { loadStudyFile } = await import(${dist('load-study-file.js')});
    const { requestRecording, recordedModules } = await import(${dist('compiled-modules.js')});
    ${body}
    console.log(JSON.stringify(recordedModules().filter((r) => r.type === 'load').map((r) => r.url)));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as string[]);
    });
  });
}

describe('the record of compiled modules', () => {
  it('is not kept when nothing asks for it', async () => {
    expect(await recordedLoads(`await loadStudyFile(${JSON.stringify(STEADY)});`)).toEqual([]);
  });

  it('holds the study file when asked for before it loads', async () => {
    expect(await recordedLoads(`requestRecording(); await loadStudyFile(${JSON.stringify(STEADY)});`)).toContain(url(STEADY));
  });

  it('starts when asked for after tsx is registered, with the files loaded from then on', async () => {
    const loads = await recordedLoads(`await loadStudyFile(${JSON.stringify(STEADY)}); requestRecording(); await loadStudyFile(${JSON.stringify(GRID)});`);
    expect(loads).toContain(url(GRID));
    expect(loads).not.toContain(url(STEADY));
  });
});

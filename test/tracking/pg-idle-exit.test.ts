// A script that uses a PostgreSQL study and never closes it exits when its work is done, as with SQLite:
// the pool's idle connection does not hold the event loop (it used to, for its 30 s idle timeout).
import { describe, expect, it } from 'vitest';
import { createStudy } from '../../src/app/create-study.js';
import { hp } from '../../src/space/hp.js';
import { pgAvailable, scratchStorages } from '../helpers/pg.js';

const available = await pgAvailable();
const storage = scratchStorages();

/** Sockets keeping the event loop alive (an unref'd one is not listed). */
const liveSockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;

describe.runIf(available)('a PostgreSQL study left open', () => {
  it('keeps no socket holding the process once its calls are done', async () => {
    const before = liveSockets();
    const study = await createStudy({ name: 'left-open', space: { x: hp.uniform(0, 1) }, seed: 1, storage: storage() });
    try {
      await study.optimize((t) => t.params.x, { trials: 3 });
      expect(study.trials).toHaveLength(3);
      expect(liveSockets()).toBe(before);
    } finally {
      await study.close();
    }
  });
});

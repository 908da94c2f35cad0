// The UI's entry: hash routes (#/, #/study/NAME, #/experiment/ID, #/run/ID, #/compare?runs=A,B,
// #/models, #/model/NAME, #/model/NAME/VERSION),
// one page at a time, each possibly returning a cleanup (the study page stops polling).
import 'uplot/dist/uPlot.min.css';
import '../styles.css';
import { h } from './dom.js';
import { comparePage } from './pages/compare.js';
import { homePage } from './pages/home.js';
import { modelPage, modelsPage, versionPage } from './pages/models.js';
import { runPage } from './pages/run.js';
import { runsPage } from './pages/runs.js';
import { studyPage } from './pages/study.js';

const root = document.getElementById('app') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
let cleanup: (() => void) | undefined;
let generation = 0;

async function route(): Promise<void> {
  cleanup?.();
  cleanup = undefined;
  const mine = ++generation;
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path = '/', qs = ''] = raw.split('?');
  const query = new URLSearchParams(qs);
  status.textContent = 'Loading…';
  root.setAttribute('aria-busy', 'true');
  try {
    // Inside the try: a hand-typed link with bad %-encoding is a view that cannot load, not a page error.
    const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
    if (parts.length === 0) await homePage(root);
    else if (parts[0] === 'study' && parts[1] !== undefined) {
      const stop = await studyPage(root, parts[1], query);
      if (mine === generation) cleanup = stop;
      else stop();
    } else if (parts[0] === 'experiment' && parts[1] !== undefined) await runsPage(root, parts[1], query);
    else if (parts[0] === 'run' && parts[1] !== undefined) await runPage(root, parts[1]);
    else if (parts[0] === 'compare') await comparePage(root, query);
    else if (parts[0] === 'models') await modelsPage(root);
    else if (parts[0] === 'model' && parts[1] !== undefined && parts[2] !== undefined) await versionPage(root, parts[1], parts[2]);
    else if (parts[0] === 'model' && parts[1] !== undefined) await modelPage(root, parts[1]);
    else root.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the experiments')));
    status.textContent = '';
  } catch (error) {
    if (mine !== generation) return;
    status.textContent = '';
    root.replaceChildren(h('h1', {}, 'Could not load this view'), h('p', { class: 'error', role: 'alert' }, (error as Error).message), h('p', {}, h('a', { href: '#/' }, 'Back to the experiments')));
  } finally {
    root.removeAttribute('aria-busy');
  }
}

window.addEventListener('hashchange', () => {
  void route().then(() => root.focus({ preventScroll: true }));
});
void route();

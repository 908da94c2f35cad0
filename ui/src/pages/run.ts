// The run page: status and links (parent run, study), metric history charts (downsampled by the
// server), params, latest metrics, tags, and artifacts with download and text/image preview.
import { artifactUrl, getJson } from '../api.js';
import { lineChart } from '../charts.js';
import { fmtDuration, fmtNumber, fmtTime, h, section } from '../dom.js';
import { dataTable } from '../table.js';
import { runDatasetsSection, runModelsSection } from './models.js';

interface Series { steps: number[]; values: number[]; total: number }
interface RunData {
  info: { runId: string; runName: string; experimentId: string; status: string; startTime: number; endTime: number | null; artifactUri: string; userId: string };
  params: Record<string, string>;
  metrics: Record<string, { value: number | null; step: number; timestamp: number }>;
  tags: Record<string, string>;
  parent: { runId: string; runName: string } | null;
  study: { name: string; role: string | null; trial: number | null } | null;
  histories: Record<string, Series>;
  historiesOmitted: number;
  artifacts: { items: { path: string; isDir: boolean; size: number | null }[]; truncated: boolean };
}

export async function runPage(root: HTMLElement, runId: string): Promise<void> {
  const d = await getJson<RunData>('run', { run_id: runId, max_points: 1000 });
  const i = d.info;
  document.title = `sweep: run ${i.runName}`;
  const charts = h('div', { class: 'grid' });
  const preview = h('div', { id: 'artifact-preview' });
  root.replaceChildren(
    h('h1', {}, `Run ${i.runName}`),
    h('p', { class: 'meta' }, `${i.status} · started ${fmtTime(i.startTime)} · ${fmtDuration(i.endTime === null ? null : i.endTime - i.startTime)} · id `, h('code', {}, i.runId)),
    h('p', { class: 'meta' },
      h('a', { href: `#/experiment/${encodeURIComponent(i.experimentId)}` }, 'experiment runs'),
      d.parent ? [' · parent ', h('a', { href: `#/run/${d.parent.runId}`, id: 'parent-link' }, d.parent.runName)] : null,
      d.study ? [' · study ', h('a', { href: `#/study/${encodeURIComponent(d.study.name)}` }, d.study.name), d.study.trial === null ? '' : ` (trial #${d.study.trial})`] : null),
    section('Metrics', charts, d.historiesOmitted > 0 ? h('p', { class: 'muted' }, `${d.historiesOmitted} more metrics not charted.`) : null,
      kv(Object.entries(d.metrics).map(([k, m]) => [k, `${fmtNumber(m.value)} (step ${m.step})`]), 'Latest metrics')),
    h('div', { class: 'two' },
      section('Params', kv(Object.entries(d.params), 'Params')),
      section('Tags', kv(Object.entries(d.tags), 'Tags'))),
    section('Artifacts', artifactList(d, preview), preview),
  );
  const [modelsSection, datasetsSection] = await Promise.all([runModelsSection(runId, d.tags), runDatasetsSection(runId).catch(() => null)]);
  const artifacts = root.querySelector('section[aria-label="Artifacts"]');
  if (modelsSection) root.insertBefore(modelsSection, artifacts);
  if (datasetsSection) root.insertBefore(datasetsSection, artifacts);
  const entries = Object.entries(d.histories).map(([key, s]) => {
    const box = h('div', { class: 'chart metric-chart', 'data-metric': key });
    charts.append(h('figure', {}, h('figcaption', {}, `${key}${s.total > s.steps.length ? ` (${s.steps.length} of ${s.total} points)` : ''}`), box));
    return [key, s, box] as const;
  });
  for (const [key, s, box] of entries) {
    lineChart(box, { xLabel: 'step', yLabel: key, series: [{ label: key, xs: s.steps, ys: s.values }], height: 200, points: s.steps.length < 60 });
  }
}

// --- internal ---

function kv(entries: [string, string][], caption: string): HTMLElement {
  return dataTable<[string, string]>({ caption, rows: entries.sort((a, b) => a[0].localeCompare(b[0])), columns: [
    { key: 'k', label: 'Key', cell: (e) => e[0] },
    { key: 'v', label: 'Value', cell: (e) => e[1] },
  ] });
}

function artifactList(d: RunData, preview: HTMLElement): HTMLElement {
  const files = d.artifacts.items;
  if (files.length === 0) return h('p', { class: 'muted' }, 'No artifacts.');
  const show = async (path: string): Promise<void> => {
    const p = await getJson<{ kind: string; text?: string; truncated?: boolean; contentType: string }>('artifact/preview', { run_id: d.info.runId, path });
    if (p.kind === 'image') preview.replaceChildren(h('h3', {}, path), h('img', { src: artifactUrl(d.info.runId, path, true), alt: path, class: 'preview' }));
    else if (p.kind === 'text') preview.replaceChildren(h('h3', {}, path, p.truncated ? ' (first 64 KiB)' : ''), h('pre', { class: 'preview' }, p.text ?? ''));
    else preview.replaceChildren(h('p', { class: 'muted' }, `${path}: ${p.contentType}, no preview.`));
  };
  return h('ul', { class: 'artifacts' }, files.map((f) => h('li', { style: `padding-left:${(f.path.split('/').length - 1) * 1.2}em` },
    f.isDir ? h('span', {}, `${f.path.split('/').pop()}/`) : [
      h('a', { href: artifactUrl(d.info.runId, f.path), download: f.path.split('/').pop() ?? f.path, class: 'download' }, f.path.split('/').pop() ?? f.path),
      ` ${f.size === null ? '' : `${f.size} B`} `,
      h('button', { type: 'button', class: 'link', onclick: () => void show(f.path) }, 'preview'),
    ])), d.artifacts.truncated ? h('li', { class: 'muted' }, '… more not listed') : null);
}

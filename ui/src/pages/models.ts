// The model registry in the UI, read from the server's MLflow REST API (registered-models/*,
// model-versions/*): the Models page, a model's versions (stage, aliases, source run and study), a
// version's page, and on a run page the models the run logged and where they are registered.
import { fmtTime, h, section } from '../dom.js';
import { dataTable } from '../table.js';

interface KeyValue { key: string; value: string }
interface VersionJson {
  name: string; version: string; creation_timestamp: number; last_updated_timestamp: number; current_stage: string;
  description: string; source: string; run_id: string; status: string; tags?: KeyValue[]; aliases?: string[];
}
interface ModelJson {
  name: string; creation_timestamp: number; last_updated_timestamp: number; description?: string;
  latest_versions?: VersionJson[]; tags?: KeyValue[]; aliases?: { alias: string; version: string }[];
}

/** GET /api/2.0/mlflow/<path> as JSON; MLflow's error message on failure. */
async function mlflow<T>(path: string, query: Record<string, string | string[]>): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const item of Array.isArray(v) ? v : [v]) q.append(k, item);
  const res = await fetch(`/api/2.0/mlflow/${path}?${q}`, { headers: { accept: 'application/json' } });
  const body = (await res.json().catch(() => ({}))) as T & { message?: string };
  if (!res.ok) throw new Error(body.message ?? `${res.status} ${res.statusText}`);
  return body;
}

const modelHref = (name: string): string => `#/model/${encodeURIComponent(name)}`;
const versionHref = (name: string, version: string): string => `#/model/${encodeURIComponent(name)}/${encodeURIComponent(version)}`;
const tagOf = (tags: KeyValue[] | undefined, key: string): string | undefined => tags?.find((t) => t.key === key)?.value;

function stageBadge(stage: string): HTMLElement {
  return h('span', { class: `badge stage-${stage.toLowerCase()}` }, stage);
}

function aliasList(aliases: readonly string[]): HTMLElement | string {
  return aliases.length === 0 ? '–' : h('span', {}, aliases.map((a) => h('span', { class: 'alias' }, `@${a}`)));
}

function runLink(v: VersionJson): Node | string {
  return v.run_id ? h('a', { href: `#/run/${encodeURIComponent(v.run_id)}`, class: 'run-link' }, v.run_id.slice(0, 12)) : '–';
}

function studyLink(v: VersionJson): Node | string {
  const study = tagOf(v.tags, 'sweep.study');
  if (study === undefined) return '–';
  const trial = tagOf(v.tags, 'sweep.trial');
  return h('span', {}, h('a', { href: `#/study/${encodeURIComponent(study)}` }, study), trial === undefined ? '' : ` #${trial}`);
}

async function allModels(): Promise<ModelJson[]> {
  const out: ModelJson[] = [];
  let token: string | undefined;
  do {
    const page = await mlflow<{ registered_models?: ModelJson[]; next_page_token?: string }>('registered-models/search', { max_results: '1000', ...(token && { page_token: token }) });
    out.push(...(page.registered_models ?? []));
    token = page.next_page_token;
  } while (token);
  return out;
}

async function versionsOf(filter: string): Promise<VersionJson[]> {
  const page = await mlflow<{ model_versions?: VersionJson[] }>('model-versions/search', { filter, order_by: ['version_number DESC'], max_results: '10000' });
  return page.model_versions ?? [];
}

export async function modelsPage(root: HTMLElement): Promise<void> {
  const models = await allModels();
  document.title = 'sweep: models';
  root.replaceChildren(h('h1', {}, 'Registered models'));
  if (models.length === 0) {
    root.append(h('p', {}, 'No registered models yet. Log a model from a trial with ', h('code', {}, 'trial.logModel(dir)'), ', then ', h('code', {}, 'sweep best --register NAME'), '.'));
    return;
  }
  root.append(dataTable<ModelJson>({
    caption: 'Registered models',
    rows: models,
    onActivate: (m) => { location.hash = modelHref(m.name); },
    columns: [
      { key: 'name', label: 'Model', cell: (m) => h('a', { href: modelHref(m.name), class: 'model-link' }, m.name) },
      { key: 'latest', label: 'Latest versions', cell: (m) => h('span', {}, (m.latest_versions ?? []).map((v) => h('span', { class: 'latest' }, h('a', { href: versionHref(m.name, v.version) }, `v${v.version}`), ' ', stageBadge(v.current_stage), ' '))) },
      { key: 'aliases', label: 'Aliases', cell: (m) => (m.aliases ?? []).length === 0 ? '–' : h('span', {}, (m.aliases ?? []).map((a) => h('span', { class: 'alias' }, `@${a.alias} → v${a.version}`))) },
      { key: 'updated', label: 'Updated', cell: (m) => fmtTime(m.last_updated_timestamp) },
      { key: 'description', label: 'Description', cell: (m) => m.description ?? '' },
    ],
  }));
}

export async function modelPage(root: HTMLElement, name: string): Promise<void> {
  const { registered_model: model } = await mlflow<{ registered_model: ModelJson }>('registered-models/get', { name });
  const versions = await versionsOf(`name = '${name.replace(/'/g, "''")}'`);
  document.title = `sweep: model ${name}`;
  root.replaceChildren(
    h('h1', {}, `Model ${model.name}`),
    h('p', { class: 'meta' }, h('a', { href: '#/models' }, 'all models'), ` · created ${fmtTime(model.creation_timestamp)} · updated ${fmtTime(model.last_updated_timestamp)}`),
    model.description ? h('p', {}, model.description) : '',
    section('Versions', dataTable<VersionJson>({
      caption: `Versions of ${model.name}`,
      rows: versions,
      empty: 'No versions yet.',
      onActivate: (v) => { location.hash = versionHref(v.name, v.version); },
      columns: [
        { key: 'version', label: 'Version', numeric: true, cell: (v) => h('a', { href: versionHref(v.name, v.version), class: 'version-link' }, v.version) },
        { key: 'stage', label: 'Stage', cell: (v) => stageBadge(v.current_stage) },
        { key: 'aliases', label: 'Aliases', cell: (v) => aliasList(v.aliases ?? []) },
        { key: 'run', label: 'Run', cell: runLink },
        { key: 'study', label: 'Study', cell: studyLink },
        { key: 'created', label: 'Created', cell: (v) => fmtTime(v.creation_timestamp) },
        { key: 'description', label: 'Description', cell: (v) => v.description },
      ],
    })),
    (model.tags ?? []).length === 0 ? '' : section('Tags', h('ul', {}, (model.tags ?? []).map((t) => h('li', {}, h('code', {}, t.key), ' = ', t.value)))),
  );
}

export async function versionPage(root: HTMLElement, name: string, version: string): Promise<void> {
  const { model_version: v } = await mlflow<{ model_version: VersionJson }>('model-versions/get', { name, version });
  const { artifact_uri: uri } = await mlflow<{ artifact_uri: string }>('model-versions/get-download-uri', { name, version });
  document.title = `sweep: ${name} v${version}`;
  const rows: [string, Node | string][] = [
    ['Stage', stageBadge(v.current_stage)],
    ['Aliases', aliasList(v.aliases ?? [])],
    ['Source run', runLink(v)],
    ['Study', studyLink(v)],
    ['Source', h('code', {}, v.source)],
    ['Files', h('span', {}, h('code', {}, uri), ' · ',
      h('a', { href: `/model-versions/get-artifact?${new URLSearchParams({ name, version, path: 'MLmodel' })}`, download: 'MLmodel', class: 'mlmodel-link' }, 'MLmodel'))],
    ['Status', v.status],
    ['Created', fmtTime(v.creation_timestamp)],
    ['Updated', fmtTime(v.last_updated_timestamp)],
    ['Description', v.description || '–'],
    ['Load with MLflow', h('code', {}, (v.aliases ?? []).length > 0 ? `models:/${name}@${(v.aliases ?? [])[0]}` : `models:/${name}/${version}`)],
  ];
  root.replaceChildren(
    h('h1', {}, `Model ${name} version ${version}`),
    h('p', { class: 'meta' }, h('a', { href: modelHref(name) }, `all versions of ${name}`)),
    section('Version', h('table', { class: 'kv', 'aria-label': 'Version' }, h('tbody', {}, rows.map(([k, value]) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, value)))))),
    (v.tags ?? []).length === 0 ? '' : section('Tags', h('ul', {}, (v.tags ?? []).map((t) => h('li', {}, h('code', {}, t.key), ' = ', t.value)))),
  );
}

/** The run page's Models section: what the run logged (its history tag) and the versions made from it. */
export async function runModelsSection(runId: string, tags: Readonly<Record<string, string>>): Promise<HTMLElement | null> {
  let logged: { artifact_path?: string; flavors?: Record<string, unknown>; utc_time_created?: string }[] = [];
  try {
    const parsed = JSON.parse(tags['mlflow.log-model.history'] ?? '[]') as unknown;
    if (Array.isArray(parsed)) logged = parsed as typeof logged;
  } catch {
    logged = [];
  }
  const versions = await versionsOf(`run_id = '${runId.replace(/'/g, "''")}'`).catch(() => []);
  if (logged.length === 0 && versions.length === 0) return null;
  return section('Models',
    logged.length === 0 ? null : h('ul', { class: 'logged-models' }, logged.map((m) => h('li', {},
      h('code', {}, m.artifact_path ?? '?'), ` (${Object.keys(m.flavors ?? {}).join(', ') || 'no flavor'}) logged ${m.utc_time_created ?? ''} UTC`))),
    versions.length === 0 ? h('p', { class: 'muted' }, 'Not registered. ', h('code', {}, `sweep models register NAME --run ${runId}`)) : h('ul', { class: 'registered-as' }, versions.map((v) => h('li', {},
      'registered as ', h('a', { href: versionHref(v.name, v.version), class: 'version-link' }, `${v.name} v${v.version}`), ' ', stageBadge(v.current_stage), ' ', aliasList(v.aliases ?? [])))),
  );
}

interface DatasetInputJson { tags?: KeyValue[]; dataset: { name: string; digest: string; source_type: string; source: string } }

/** The run page's Datasets section: the run's dataset inputs (runs/get's inputs.dataset_inputs). */
export async function runDatasetsSection(runId: string): Promise<HTMLElement | null> {
  const { run } = await mlflow<{ run: { inputs?: { dataset_inputs?: DatasetInputJson[] } } }>('runs/get', { run_id: runId });
  const inputs = run.inputs?.dataset_inputs ?? [];
  if (inputs.length === 0) return null;
  return section('Datasets', dataTable<DatasetInputJson>({
    caption: 'Dataset inputs',
    rows: inputs,
    columns: [
      { key: 'name', label: 'Name', cell: (d) => d.dataset.name },
      { key: 'context', label: 'Context', cell: (d) => tagOf(d.tags, 'mlflow.data.context') ?? '–' },
      { key: 'digest', label: 'Digest', cell: (d) => h('code', {}, d.dataset.digest) },
      { key: 'source', label: 'Source', cell: (d) => h('code', {}, `${d.dataset.source_type}: ${d.dataset.source}`) },
    ],
  }));
}

// experiments/* over HTTP: shapes, lifecycle rules, search (filter, order, pages, view type), errors.
import { describe, expect, it } from 'vitest';
import { makeServer } from './helpers.js';

describe('experiments endpoints', () => {
  it('ensures the Default experiment "0" when the server starts', async () => {
    const s = await makeServer();
    const got = await s.call('GET', '/experiments/get', { experiment_id: '0' });
    expect(got.status).toBe(200);
    expect(got.body.experiment).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: 'mlflow-artifacts:/0' });
  });

  it('creates an experiment with tags and reads it by id and by name in MLflow\'s shape', async () => {
    const s = await makeServer();
    const created = await s.call('POST', '/experiments/create', { name: 'exp', tags: [{ key: 'team', value: 'ml' }] });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ experiment_id: expect.stringMatching(/^\d+$/) });
    const id = created.body.experiment_id as string;
    const byId = (await s.call('GET', '/experiments/get', { experiment_id: id })).body.experiment;
    expect(byId).toEqual({
      experiment_id: id, name: 'exp', artifact_location: `mlflow-artifacts:/${id}`, lifecycle_stage: 'active',
      creation_time: expect.any(Number), last_update_time: expect.any(Number), tags: [{ key: 'team', value: 'ml' }],
    });
    expect((await s.call('GET', '/experiments/get-by-name', { experiment_name: 'exp' })).body.experiment).toEqual(byId);
  });

  it.each([
    ['a taken name', { name: 'Default' }, 400, 'RESOURCE_ALREADY_EXISTS'],
    ['no name', {}, 400, 'INVALID_PARAMETER_VALUE'],
    ['an empty name', { name: '' }, 400, 'INVALID_PARAMETER_VALUE'],
    ['a name over 500 characters', { name: 'x'.repeat(501) }, 400, 'INVALID_PARAMETER_VALUE'],
    ['an artifact location with a query', { name: 'e', artifact_location: 's3://b/p?x=1' }, 400, 'INVALID_PARAMETER_VALUE'],
    ['a bad tag key', { name: 'e', tags: [{ key: 'a//b', value: '1' }] }, 400, 'INVALID_PARAMETER_VALUE'],
  ])('refuses to create an experiment with %s', async (_what, body, status, code) => {
    const s = await makeServer();
    const res = await s.call('POST', '/experiments/create', body);
    expect(res.status).toBe(status);
    expect(res.body.error_code).toBe(code);
  });

  it('answers 404 RESOURCE_DOES_NOT_EXIST for an unknown id or name', async () => {
    const s = await makeServer();
    const byId = await s.call('GET', '/experiments/get', { experiment_id: '42' });
    expect(byId.status).toBe(404);
    expect(byId.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=42 exists' });
    const byName = await s.call('GET', '/experiments/get-by-name', { experiment_name: 'nope' });
    expect(byName.status).toBe(404);
    expect(byName.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Could not find experiment with name 'nope'" });
  });

  it('refuses to delete the Default experiment "0" with a 400 naming it (and another spelling of its id is no experiment)', async () => {
    const s = await makeServer();
    const res = await s.call('POST', '/experiments/delete', { experiment_id: '0' });
    expect([res.status, res.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(res.body.message).toMatch(/^the Default experiment \(id 0\) cannot be deleted/);
    for (const id of ['00', ' 0', '0.0', '0x0']) {
      expect((await s.call('POST', '/experiments/delete', { experiment_id: id })).status).toBe(404);
      expect((await s.call('GET', '/experiments/get', { experiment_id: id })).status).toBe(404);
    }
    expect((await s.call('GET', '/experiments/get', { experiment_id: '0' })).body.experiment.lifecycle_stage).toBe('active');
    expect((await s.call('POST', '/runs/create', { experiment_id: '0', start_time: 1 })).status).toBe(200);
  });

  it('renames, deletes, restores and tags an experiment, with MLflow\'s lifecycle rules', async () => {
    const s = await makeServer();
    const id = (await s.call('POST', '/experiments/create', { name: 'a' })).body.experiment_id as string;
    await s.call('POST', '/experiments/create', { name: 'taken' });
    expect((await s.call('POST', '/experiments/update', { experiment_id: id, new_name: 'b' })).status).toBe(200);
    expect((await s.call('POST', '/experiments/update', { experiment_id: id, new_name: 'taken' })).body.error_code).toBe('RESOURCE_ALREADY_EXISTS');
    expect((await s.call('POST', '/experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v' })).body).toEqual({});
    expect((await s.call('POST', '/experiments/delete', { experiment_id: id })).body).toEqual({});
    const deleted = (await s.call('GET', '/experiments/get', { experiment_id: id })).body.experiment;
    expect(deleted).toMatchObject({ name: 'b', lifecycle_stage: 'deleted', tags: [{ key: 'k', value: 'v' }] });
    // a deleted experiment: no second delete, no rename, no tag, no new run
    expect((await s.call('POST', '/experiments/delete', { experiment_id: id })).status).toBe(404);
    const rename = await s.call('POST', '/experiments/update', { experiment_id: id, new_name: 'c' });
    expect([rename.status, rename.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const tag = await s.call('POST', '/experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'w' });
    expect(tag.body.message).toMatch(/must be in the 'active' state/);
    const run = await s.call('POST', '/runs/create', { experiment_id: id });
    expect([run.status, run.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await s.call('GET', '/experiments/get-by-name', { experiment_name: 'b' })).status).toBe(200);
    // restore looks among deleted experiments only
    expect((await s.call('POST', '/experiments/restore', { experiment_id: id })).status).toBe(200);
    expect((await s.call('POST', '/experiments/restore', { experiment_id: id })).status).toBe(404);
    expect((await s.call('POST', '/experiments/update', { experiment_id: '99', new_name: 'x' })).status).toBe(404);
  });

  it('accepts the npm client\'s misspelt set-experiment-tag path', async () => {
    const s = await makeServer();
    const res = await s.call('POST', '/api/2.0/mlflow/experimentsset-experiment-tag', { experiment_id: '0', key: 'k', value: 'v' });
    expect(res.status).toBe(200);
    expect((await s.call('GET', '/experiments/get', { experiment_id: '0' })).body.experiment.tags).toEqual([{ key: 'k', value: 'v' }]);
  });

  describe('search', () => {
    async function seeded() {
      const s = await makeServer();
      for (const [name, team] of [['sweep-a', 'ml'], ['sweep-b', 'ops'], ['other', 'ml']] as const) {
        await s.call('POST', '/experiments/create', { name, tags: [{ key: 'team', value: team }] });
      }
      return s;
    }
    const names = (body: Record<string, any>): string[] => (body.experiments as { name: string }[]).map((e) => e.name);

    it('filters by name LIKE and tags, ANDed', async () => {
      const s = await seeded();
      const res = await s.call('POST', '/experiments/search', { filter: "name LIKE 'sweep-%' AND tags.team = 'ml'" });
      expect(res.status).toBe(200);
      expect(names(res.body)).toEqual(['sweep-a']);
      expect(names((await s.call('POST', '/experiments/search', { filter: "attributes.name ILIKE 'SWEEP%'", order_by: ['name ASC'] })).body)).toEqual(['sweep-a', 'sweep-b']);
      expect(names((await s.call('POST', '/experiments/search', { filter: 'tags."team" != \'ml\'' })).body)).toEqual(['sweep-b']);
      expect(names((await s.call('POST', '/experiments/search', { filter: 'creation_time > 0 and name = "other"' })).body)).toEqual(['other']);
    });

    it('orders (default: newest first), pages with tokens and honours view_type', async () => {
      const s = await seeded();
      const all = await s.call('POST', '/experiments/search', { order_by: ['name DESC'] });
      expect(names(all.body)).toEqual(['sweep-b', 'sweep-a', 'other', 'Default']);
      const first = await s.call('POST', '/experiments/search', { max_results: 3, order_by: ['name'] });
      expect(names(first.body)).toEqual(['Default', 'other', 'sweep-a']);
      const second = await s.call('POST', '/experiments/search', { max_results: 3, order_by: ['name'], page_token: first.body.next_page_token });
      expect(names(second.body)).toEqual(['sweep-b']);
      expect(second.body.next_page_token).toBeUndefined();
      await s.call('POST', '/experiments/delete', { experiment_id: '1' });
      expect(names((await s.call('POST', '/experiments/search', { view_type: 'DELETED_ONLY' })).body)).toEqual(['sweep-a']);
      expect((await s.call('POST', '/experiments/search', { view_type: 'ALL' })).body.experiments).toHaveLength(4);
      // GET works too, with the query string, as does the removed `list` the npm client calls
      expect((await s.call('GET', '/experiments/search', { view_type: '3', max_results: '2' })).body.experiments).toHaveLength(2);
      expect((await s.call('GET', '/experiments/list', { view_type: 'ACTIVE_ONLY' })).body.experiments).toHaveLength(3);
    });

    it.each([
      ["name LIKE 'a%' OR name = 'b'", /expected AND or the end of the filter, got OR at column 16/],
      ["params.x = 'a'", /invalid entity type 'params'/],
      ["owner = 'me'", /invalid attribute key 'owner'/],
      ['creation_time > \'5\'', /expected an integer/],
      ['name > 3', /expected a comparator/],
    ])('refuses the filter %s with 400 naming the column', async (filter, message) => {
      const s = await seeded();
      const res = await s.call('POST', '/experiments/search', { filter });
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(res.body.message).toMatch(message);
    });

    it.each([
      [{ max_results: 0 }, /max_results/],
      [{ max_results: 50_001 }, /max_results/],
      [{ page_token: 'garbage!' }, /page token/],
      [{ order_by: ['owner'] }, /order_by/],
      [{ view_type: 'SOME' }, /view_type/],
    ])('refuses %j with 400', async (body, message) => {
      const s = await seeded();
      const res = await s.call('POST', '/experiments/search', body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(message);
    });
  });
});

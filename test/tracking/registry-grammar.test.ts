// The registry's small grammars: models:/ URIs, the registry filter and order_by (valid forms and the
// exact one-line errors), and the MLmodel YAML writer's quoting.
import { describe, expect, it } from 'vitest';
import { parseModelUri, parseRunsUri } from '../../src/tracking/registry/model-uri.js';
import { parseRegistryFilter, parseRegistryOrderBy } from '../../src/tracking/registry/search.js';
import { toYaml } from '../../src/tracking/registry/model-files.js';

describe('models:/ URIs', () => {
  it.each([
    ['models:/gbm/3', { name: 'gbm', version: 3 }],
    ['models:/gbm@champion', { name: 'gbm', alias: 'champion' }],
    ['models:/gbm/production', { name: 'gbm', stage: 'Production' }],
    ['models:/gbm/latest', { name: 'gbm', latest: true }],
    ['models:/team/gbm/2', { name: 'team/gbm', version: 2 }],
  ])('parses %s', (uri, ref) => {
    expect(parseModelUri(uri)).toEqual(ref);
  });

  it.each(['gbm@x', 'models:/gbm', 'models://gbm/1', 'models:/gbm/', 'models:/gbm/Shipped'])('refuses %s', (uri) => {
    expect(() => parseModelUri(uri)).toThrow(expect.objectContaining({ code: 'E_CONFIG' }));
  });

  it('splits runs:/ sources', () => {
    expect(parseRunsUri('runs:/abc/model/sub')).toEqual({ runId: 'abc', path: 'model/sub' });
    expect(parseRunsUri('runs:/abc')).toEqual({ runId: 'abc', path: '' });
    expect(parseRunsUri('s3://b/k')).toBeUndefined();
  });
});

describe('registry filter', () => {
  it('parses clauses joined by AND, with quoted tag keys and IN lists', () => {
    expect(parseRegistryFilter("name LIKE '%gbm%' AND tags.`my key` = 'v'", 'registered model')).toEqual([
      { field: 'name', key: '', op: 'LIKE', values: ['%gbm%'] },
      { field: 'tag', key: 'my key', op: '=', values: ['v'] },
    ]);
    expect(parseRegistryFilter("run_id NOT IN ('a', 'b') and version_number >= 2", 'model version')).toEqual([
      { field: 'run_id', key: '', op: 'NOT IN', values: ['a', 'b'] },
      { field: 'version_number', key: '', op: '>=', values: [2] },
    ]);
  });

  it.each([
    ['run_id = \'x\'', 'registered model', "filter: invalid registered model search key 'run_id' (valid: name, tags.<key>) at column 1"],
    ["name = 'a' OR name = 'b'", 'registered model', 'filter: expected AND or the end of the filter, got OR at column 12'],
    ['name > 1', 'registered model', 'filter: name does not support > at column 6'],
    ['version_number = \'1\'', 'model version', "filter: version_number compares with an integer, got '1' at column 18"],
    ['name IN (\'a\')', 'model version', 'filter: only run_id and version_number support IN, got name at column 6'],
    ['name = 3', 'model version', 'filter: name compares with a quoted string, got 3 at column 8'],
  ] as const)('refuses %s', (filter, entity, message) => {
    expect(() => parseRegistryFilter(filter, entity)).toThrow(expect.objectContaining({ code: 'E_CONFIG', message }));
  });

  it('orders with MLflow\'s tie-breakers and refuses unknown keys', () => {
    expect(parseRegistryOrderBy(undefined, 'model version')).toEqual([
      { key: 'last_updated_timestamp', descending: true }, { key: 'name', descending: false }, { key: 'version_number', descending: true },
    ]);
    expect(parseRegistryOrderBy(['timestamp DESC'], 'registered model')).toEqual([{ key: 'last_updated_timestamp', descending: true }, { key: 'name', descending: false }]);
    expect(() => parseRegistryOrderBy(['version_number'], 'registered model')).toThrow(expect.objectContaining({ code: 'E_CONFIG' }));
  });
});

describe('MLmodel YAML', () => {
  it('writes keys sorted, block style, and quotes what YAML would read as another type', () => {
    expect(toYaml({ run_id: '0123', b: { on: 'yes', n: 1.5, path: 'a/b.pkl', t: "it's" }, a: [] })).toBe(
      "a: []\nb:\n  'n': 1.5\n  'on': 'yes'\n  path: a/b.pkl\n  t: 'it''s'\nrun_id: '0123'\n",
    );
  });
});

// The filter and order_by grammar: valid text and its AST, invalid text and its exact message.
import { describe, expect, it } from 'vitest';
import type { FilterExpr, OrderKey, SortableTarget as Target } from '../../../src/tracking/search/index.js';
import { decodePageToken, encodePageToken, parseFilter, parseOrderBy } from '../../../src/tracking/search/index.js';

const metric = (key: string): Target => ({ type: 'metric', key });
const param = (key: string): Target => ({ type: 'param', key });
const tag = (key: string): Target => ({ type: 'tag', key });
const attr = (key: Extract<Target, { type: 'attribute' }>['key']): Target => ({ type: 'attribute', key });

describe('parseFilter: MLflow grammar', () => {
  it.each<[string, FilterExpr]>([
    ['metrics.rmse < 1', { kind: 'number', target: metric('rmse'), op: '<', value: 1 }],
    ['metric.rmse <= -1.5e-3', { kind: 'number', target: metric('rmse'), op: '<=', value: -0.0015 }],
    ['metrics.loss > 1e5', { kind: 'number', target: metric('loss'), op: '>', value: 100000 }],
    ['metrics.loss != .5', { kind: 'number', target: metric('loss'), op: '!=', value: 0.5 }],
    ['metrics.val.loss >= 0', { kind: 'number', target: metric('val.loss'), op: '>=', value: 0 }],
    ['metrics."f1-score" = 0.9', { kind: 'number', target: metric('f1-score'), op: '=', value: 0.9 }],
    ['metrics.`f1 score` = 0.9', { kind: 'number', target: metric('f1 score'), op: '=', value: 0.9 }],
    ['`metrics`.`f1 score` = 0.9', { kind: 'number', target: metric('f1 score'), op: '=', value: 0.9 }],
    ['"metrics".loss = 1', { kind: 'number', target: metric('loss'), op: '=', value: 1 }],
    ["params.model_class = 'LogisticRegression'", { kind: 'string', target: param('model_class'), op: '=', value: 'LogisticRegression' }],
    ['params.lr = "0.01"', { kind: 'string', target: param('lr'), op: '=', value: '0.01' }],
    ["parameter.opt != 'sgd'", { kind: 'string', target: param('opt'), op: '!=', value: 'sgd' }],
    ["parameters.\"my key\" = 'x'", { kind: 'string', target: param('my key'), op: '=', value: 'x' }],
    ["tags.`mlflow.runName` LIKE 'trial-%'", { kind: 'string', target: tag('mlflow.runName'), op: 'LIKE', value: 'trial-%' }],
    ["tags.mlflow.runName like 'trial-%'", { kind: 'string', target: tag('mlflow.runName'), op: 'LIKE', value: 'trial-%' }],
    ["tag.\"sweep.id\" ILIKE '%SWEEP%'", { kind: 'string', target: tag('sweep.id'), op: 'ILIKE', value: '%SWEEP%' }],
    ["status = 'FINISHED'", { kind: 'string', target: attr('status'), op: '=', value: 'FINISHED' }],
    ["attributes.status = 'FINISHED'", { kind: 'string', target: attr('status'), op: '=', value: 'FINISHED' }],
    ["attribute.user_id != 'bob'", { kind: 'string', target: attr('user_id'), op: '!=', value: 'bob' }],
    ["attr.artifact_uri LIKE '/tmp/%'", { kind: 'string', target: attr('artifact_uri'), op: 'LIKE', value: '/tmp/%' }],
    ["run.run_name = 'a'", { kind: 'string', target: attr('run_name'), op: '=', value: 'a' }],
    ["`Run name` ILIKE '%baseline%'", { kind: 'string', target: attr('run_name'), op: 'ILIKE', value: '%baseline%' }],
    ["attributes.`Run Name` = 'x'", { kind: 'string', target: attr('run_name'), op: '=', value: 'x' }],
    ['attributes.start_time > 1717000000000', { kind: 'number', target: attr('start_time'), op: '>', value: 1717000000000 }],
    ['created >= 5', { kind: 'number', target: attr('start_time'), op: '>=', value: 5 }],
    ['end_time < 10', { kind: 'number', target: attr('end_time'), op: '<', value: 10 }],
    ["attributes.run_id IN ('0f1e', \"7c2b\",)", { kind: 'in', target: attr('run_id'), negated: false, values: ['0f1e', '7c2b'] }],
    ["run_id not in ('a')", { kind: 'in', target: attr('run_id'), negated: true, values: ['a'] }],
    ["params.x = 'it''s'", { kind: 'string', target: param('x'), op: '=', value: "it''s" }],
    ["params.x = \"it's\"", { kind: 'string', target: param('x'), op: '=', value: "it's" }],
    ["params.x = 'a\\'b'", { kind: 'string', target: param('x'), op: '=', value: "a\\'b" }],
    ["params.x = '\"; DROP TABLE runs; --'", { kind: 'string', target: param('x'), op: '=', value: '"; DROP TABLE runs; --' }],
  ])('parses %s', (text, ast) => {
    expect(parseFilter(text)).toEqual(ast);
  });

  it('joins clauses with AND, case-insensitively', () => {
    expect(parseFilter("metrics.rmse < 1 and params.m = 'x' AnD tags.t = 'y'")).toEqual({
      kind: 'and',
      items: [
        { kind: 'number', target: metric('rmse'), op: '<', value: 1 },
        { kind: 'string', target: param('m'), op: '=', value: 'x' },
        { kind: 'string', target: tag('t'), op: '=', value: 'y' },
      ],
    });
  });

  it.each(['', '   ', undefined])('reads %j as no filter', (text) => {
    expect(parseFilter(text)).toBeUndefined();
  });
});

describe('parseFilter: sweep extensions', () => {
  const a = { kind: 'number', target: metric('a'), op: '<', value: 1 } as const;
  const b = { kind: 'number', target: metric('b'), op: '<', value: 1 } as const;
  const c = { kind: 'string', target: param('c'), op: '=', value: 'x' } as const;

  it.each<[string, FilterExpr]>([
    ['metrics.a < 1 OR metrics.b < 1', { kind: 'or', items: [a, b] }],
    ["metrics.a < 1 or metrics.b < 1 and params.c = 'x'", { kind: 'or', items: [a, { kind: 'and', items: [b, c] }] }],
    ["(metrics.a < 1 or metrics.b < 1) and params.c = 'x'", { kind: 'and', items: [{ kind: 'or', items: [a, b] }, c] }],
    ['((metrics.a < 1))', a],
    ['(metrics.a < 1 or metrics.b < 1) or metrics.a < 1', { kind: 'or', items: [a, b, a] }],
    ['params.lr < 0.01', { kind: 'number', target: param('lr'), op: '<', value: 0.01 }],
    ['params.lr = 1e-5', { kind: 'number', target: param('lr'), op: '=', value: 1e-5 }],
    ['metrics.a IS NULL', { kind: 'null', target: metric('a'), negated: false }],
    ['params.p is not null', { kind: 'null', target: param('p'), negated: true }],
    ['tags.`x y` IS NULL', { kind: 'null', target: tag('x y'), negated: false }],
    ['attributes.end_time IS NULL', { kind: 'null', target: attr('end_time'), negated: false }],
  ])('parses %s', (text, ast) => {
    expect(parseFilter(text)).toEqual(ast);
  });
});

describe('parseFilter: errors', () => {
  it.each([
    ['metrics.acc', 'filter: expected a comparator after metrics.acc at column 12'],
    ['metrics.acc foo', 'filter: expected a comparator after metrics.acc, got foo at column 13'],
    ["metrics.acc = 'abc'", "filter: metrics.acc compares with a number, got 'abc' at column 15"],
    ['metrics.acc = abc', 'filter: metrics.acc compares with a number, got abc at column 15'],
    ["metrics.loss > '1'", "filter: metrics.loss compares with a number, got '1' at column 16"],
    ['metrics.a < +1', "filter: metrics.a compares with a number, got '+' at column 13"],
    ['metrics.a <', 'filter: expected a value after metrics.a < at column 12'],
    ['metrics.f1-score > 1', "filter: expected a comparator after metrics.f1, got '-' at column 11"],
    ["params.lr IN ('0.1')", 'filter: only attributes.run_id and datasets.<key> support IN and NOT IN, got params.lr at column 11'],
    ['metrics.loss <> 1', "filter: '<>' is not a comparator at column 14"],
    ['metrics.loss == 1', "filter: '==' is not a comparator at column 14"],
    ["metrics.m LIKE 'a%'", 'filter: metrics.m does not support LIKE at column 11'],
    ["tags.t > 'a'", 'filter: tags.t does not support > at column 8'],
    ["status < 'a'", 'filter: status does not support < at column 8'],
    ['params.lr = adam', 'filter: params.lr compares with a quoted string, got adam at column 13'],
    ['params.x = `adam`', 'filter: params.x compares with a quoted string, got `adam` at column 12'],
    ["params.x < '1'", "filter: params.x compares with a number (sweep extension: numeric comparison on params), got '1' at column 12"],
    ['tags.t = 1', 'filter: tags.t compares with a quoted string, got 1 at column 10'],
    ['attributes.start_time > 1.5', 'filter: attributes.start_time compares with an integer (ms since the epoch), got 1.5 at column 25'],
    ['foo = 1', "filter: unknown attribute 'foo' (valid: run_id, run_name, status, user_id, artifact_uri, start_time, end_time) at column 1"],
    ["attributes.lifecycle_stage = 'active'", "filter: unknown attribute 'lifecycle_stage' (valid: run_id, run_name, status, user_id, artifact_uri, start_time, end_time) at column 1"],
    ['a.b = 1', "filter: unknown entity type 'a' in a.b at column 1"],
    ["datasets.size = 'x'", "filter: unknown dataset key 'size' (valid: name, digest, context) at column 1"],
    ['datasets.name > 1', 'filter: datasets.name does not support > at column 15'],
    ["'params'.x = 'a'", "filter: expected an identifier (metrics.<key>, params.<key>, tags.<key> or an attribute), got 'params' at column 1"],
    ["metrics.'x' = 1", 'filter: expected a key after metrics. at column 9'],
    ['metrics. = 1', 'filter: expected a key after metrics. at column 10'],
    ["params.x = 'open", 'filter: unterminated string starting at column 12'],
    ['AND metrics.a < 1', 'filter: expected an identifier (metrics.<key>, params.<key>, tags.<key> or an attribute), got AND at column 1'],
    ['metrics.a < 1 and', 'filter: expected an identifier (metrics.<key>, params.<key>, tags.<key> or an attribute) at column 18'],
    ['metrics.a < 1 metrics.b > 2', 'filter: expected AND, OR or the end of the filter, got metrics.b at column 15'],
    ['metrics.a < 1; DROP TABLE runs', "filter: expected AND, OR or the end of the filter, got ';' at column 14"],
    ['(metrics.a < 1', 'filter: unclosed ( from column 1: expected ) at column 15'],
    ['metrics.a < 1)', "filter: expected AND, OR or the end of the filter, got ')' at column 14"],
    ['attributes.run_id IN ()', "filter: expected a quoted run id in the list, got ')' at column 23"],
    ["attributes.run_id IN 'a'", "filter: expected ( after IN, got 'a' at column 22"],
    ["attributes.run_id IN ('a' 'b')", "filter: expected , or ) in the run id list, got 'b' at column 27"],
    ["run_id NOT ('a')", "filter: expected IN after NOT, got '(' at column 12"],
    ['metrics.a IS 1', 'filter: expected NULL after IS, got 1 at column 14'],
    ['metrics.a IS NOT 1', 'filter: expected NULL after IS NOT, got 1 at column 18'],
  ])('rejects %s', (text, message) => {
    expect(() => parseFilter(text)).toThrow(expect.objectContaining({ code: 'E_CONFIG', message }));
  });

  it('gives the column in details and a hint for the fix', () => {
    const error = catchError(() => parseFilter('metrics.f1-score > 1'));
    expect(error).toMatchObject({ name: 'ConfigError', details: { column: 11 } });
    expect(error.hint).toMatch(/quote a key that contains '-'/);
  });
});

describe('parseOrderBy', () => {
  const startDesc: OrderKey = { target: attr('start_time'), descending: true };
  const runIdAsc: OrderKey = { target: attr('run_id'), descending: false };

  it.each<[string[] | undefined, OrderKey[]]>([
    [undefined, [startDesc, runIdAsc]],
    [['metrics.acc DESC'], [{ target: metric('acc'), descending: true }, startDesc, runIdAsc]],
    [['params.lr', 'tags.`a b` asc'], [{ target: param('lr'), descending: false }, { target: tag('a b'), descending: false }, startDesc, runIdAsc]],
    [['attributes.start_time ASC'], [{ target: attr('start_time'), descending: false }, runIdAsc]],
    [['created'], [{ target: attr('start_time'), descending: false }, runIdAsc]],
    [['run_id DESC'], [{ target: attr('run_id'), descending: true }, startDesc]],
    [['metrics.`f1 score` desc', 'end_time'], [{ target: metric('f1 score'), descending: true }, { target: attr('end_time'), descending: false }, startDesc, runIdAsc]],
  ])('parses %j', (clauses, keys) => {
    expect(parseOrderBy(clauses)).toEqual(keys);
  });

  it.each([
    [['metrics.acc DESC', 'metrics.acc'], 'order_by: metrics.acc is given twice'],
    [['start_time', 'created DESC'], 'order_by: attributes.start_time is given twice'],
    [['metrics.acc DESCENDING'], 'order_by "metrics.acc DESCENDING": expected ASC, DESC or the end of the clause, got DESCENDING at column 13'],
    [['params.lr ASC, metrics.a'], "order_by \"params.lr ASC, metrics.a\": expected ASC, DESC or the end of the clause, got ',' at column 14"],
    [[''], 'order_by "": expected a key to order by (metrics.<key>, params.<key>, tags.<key> or an attribute) at column 1'],
    [['lifecycle_stage'], "order_by \"lifecycle_stage\": unknown attribute 'lifecycle_stage' (valid: run_id, run_name, status, user_id, artifact_uri, start_time, end_time) at column 1"],
  ])('rejects %j', (clauses, message) => {
    expect(() => parseOrderBy(clauses)).toThrow(expect.objectContaining({ code: 'E_CONFIG', message }));
  });
});

describe('page tokens', () => {
  it("encodes MLflow's format, base64 of {\"offset\": N}", () => {
    expect(encodePageToken(1000)).toBe('eyJvZmZzZXQiOiAxMDAwfQ==');
    expect(decodePageToken('eyJvZmZzZXQiOiAxMDAwfQ==')).toBe(1000);
  });

  it.each([
    ['not base64!', /could not base64-decode/],
    [Buffer.from('[1]').toString('base64'), /expected base64 of \{"offset": N\}/],
    [Buffer.from('{"offset": 0}').toString('base64'), /with N > 0/],
    [Buffer.from('{"offset": -5}').toString('base64'), /with N > 0/],
    [Buffer.from('{"offset": 1.5}').toString('base64'), /with N > 0/],
    [Buffer.from('not json').toString('base64'), /expected base64/],
  ])('rejects %s', (token, message) => {
    expect(() => decodePageToken(token)).toThrow(expect.objectContaining({ code: 'E_CONFIG', message: expect.stringMatching(message) }));
  });
});

function catchError(fn: () => unknown): { hint?: string } & Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

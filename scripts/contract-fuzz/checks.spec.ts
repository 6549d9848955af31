import { casesOf } from './cases';
import { check, SchemaValidators } from './checks';
import { Operation, operationsOf } from './openapi';

const ERROR = { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['statusCode'], properties: { statusCode: { type: 'integer' } } } } };

const DOCUMENT = {
  security: [],
  components: { schemas: { Thing: { type: 'object', required: ['id', 'status'], properties: { id: { type: 'string' }, status: { type: 'string', enum: ['On', 'Off'] }, seen: { type: 'string', format: 'date-time', nullable: true } } } } },
  paths: {
    '/things/{id}': {
      post: {
        security: [{ bearer: [] }],
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10 } },
        ],
        requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, count: { type: 'integer' } } } } } },
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
          '400': { content: { 'application/json': { schema: ERROR } } },
          '401': { content: { 'application/json': { schema: ERROR } } },
          '204': {},
        },
      },
    },
  },
};

describe('contract fuzz checks', () => {
  const [op] = operationsOf(DOCUMENT as never) as [Operation];
  const validators = new SchemaValidators();
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const positive = { kind: 'positive' as const, path: '/things/x', query: [], headers: {} };

  it('reads the document: parameters, $refs resolved, security', () => {
    expect(op.id).toBe('POST /things/{id}');
    expect(op.secured).toBe(true);
    expect(op.responses['200'].content['application/json']).toMatchObject({ required: ['id', 'status'] });
  });

  it('passes an answer the document describes', () => {
    expect(check(op, positive, { status: 200, headers: json, text: JSON.stringify({ id: 'a', status: 'On', seen: null }) }, validators)).toEqual([]);
    expect(check(op, positive, { status: 400, headers: json, text: JSON.stringify({ error: { statusCode: 400 } }) }, validators)).toEqual([]);
    expect(check(op, positive, { status: 204, headers: {}, text: '' }, validators)).toEqual([]);
  });

  it('reports a 5xx, an undocumented status, another media type, a body its schema does not allow', () => {
    expect(check(op, positive, { status: 500, headers: json, text: '{}' }, validators).map((v) => v.check)).toEqual(['not_a_server_error', 'status_code_conformance']);
    expect(check(op, positive, { status: 404, headers: json, text: '{}' }, validators)).toEqual([{ check: 'status_code_conformance', message: expect.stringMatching(/404, which is not documented/) }]);
    expect(check(op, positive, { status: 200, headers: { 'content-type': 'text/html' }, text: '<p/>' }, validators)[0].check).toBe('content_type_conformance');
    expect(check(op, positive, { status: 200, headers: json, text: JSON.stringify({ id: 'a', status: 'Maybe' }) }, validators)).toEqual([{ check: 'response_schema_conformance', message: expect.stringMatching(/must be equal to one of the allowed values/) }]);
    expect(check(op, positive, { status: 200, headers: json, text: JSON.stringify({ id: 'a', status: 'On', seen: 'yesterday' }) }, validators)[0].check).toBe('response_schema_conformance');
    expect(check(op, positive, { status: 204, headers: json, text: '{}' }, validators)[0].check).toBe('content_type_conformance');
  });

  it('reports a broken rule that was not refused, and an answer given without a token', () => {
    expect(check(op, { ...positive, kind: 'negative', breaks: 'body.name (required) is missing' }, { status: 200, headers: json, text: JSON.stringify({ id: 'a', status: 'On' }) }, validators)).toEqual([
      { check: 'negative_data_rejection', message: 'answered 200 though body.name (required) is missing' },
    ]);
    expect(check(op, { ...positive, kind: 'no-auth' }, { status: 400, headers: json, text: JSON.stringify({ error: { statusCode: 400 } }) }, validators)[0].check).toBe('ignored_auth');
  });

  it('generates the same cases from the same seed: allowed ones, ones that break a rule, one without a token', () => {
    const cases = casesOf(op, { knownIds: ['known-1'] }, 30, 42);
    expect(casesOf(op, { knownIds: ['known-1'] }, 30, 42)).toEqual(cases);
    expect(cases).toHaveLength(31);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(['positive', 'negative', 'no-auth']));
    expect(cases.some((c) => c.path === '/things/known-1')).toBe(true);
    const broken = cases.filter((c) => c.kind === 'negative').map((c) => c.breaks);
    expect(broken.every((b) => /^(body|limit)/.test(b!))).toBe(true);
    for (const c of cases.filter((k) => k.kind === 'positive' && k.body?.contentType === 'application/json')) expect(JSON.parse(c.body!.text)).toHaveProperty('name');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocs } from '../../server/routes/docs.ts';
import { startTestApi, type TestApi } from '../helpers/api.ts';

let api: TestApi;
let doc: any;
beforeAll(async () => {
  api = await startTestApi();
  doc = (await api.json('GET', '/openapi.json', undefined, { token: null })).body;
});
afterAll(() => api?.close());

const coreRoutes = [
  ['get', '/health'],
  ['get', '/ready'],
  ['get', '/v1/me'],
  ['get', '/v1/locations'],
  ['post', '/v1/locations'],
  ['get', '/v1/locations/{id}'],
  ['patch', '/v1/locations/{id}'],
  ['delete', '/v1/locations/{id}'],
  ['get', '/v1/units'],
  ['put', '/v1/units/{externalId}'],
  ['get', '/v1/units/{externalId}'],
  ['get', '/v1/locks'],
  ['get', '/v1/locks/{lockId}'],
  ['post', '/v1/locks/captured'],
  ['get', '/v1/mappings'],
  ['put', '/v1/units/{externalId}/mapping'],
  ['delete', '/v1/units/{externalId}/mapping'],
  ['get', '/v1/audit-events'],
] as const;

describe('/openapi.json', () => {
  it('is an OpenAPI 3.1 document with bearer auth', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('AccessBridge sync API');
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.paths['/health'].get.security).toEqual([]);
  });

  it('lists every core route with its responses and the shared error body', () => {
    for (const [method, path] of coreRoutes) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.summary).toBeTruthy();
      expect(Object.keys(op.responses).some((s) => s.startsWith('2'))).toBe(true);
    }
    expect(doc.paths['/v1/units/{externalId}/mapping'].put.responses['409'].content['application/json'].schema.properties.details.$ref).toBe(
      '#/components/schemas/MappingConflict',
    );
    expect(doc.paths['/v1/units'].get.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBody');
  });

  it('describes bodies and parameters from the contract schemas', () => {
    const body = doc.paths['/v1/locations'].post.requestBody;
    expect(body.required).toBe(true);
    expect(body.content['application/json'].schema.$ref).toBe('#/components/schemas/LocationInput');
    const input = doc.components.schemas.LocationInput;
    expect(input.required).toEqual(['name']);
    expect(input.properties.tapkey).toBeDefined();
    // Secrets go in, but the Location resource has no field that could carry one back.
    expect(JSON.stringify(doc.components.schemas.Location)).not.toMatch(/clientSecret|apiToken/);
    const params = doc.paths['/v1/units'].get.parameters.map((p: any) => `${p.in}:${p.name}`);
    expect(params).toEqual(expect.arrayContaining(['query:search', 'query:locationId', 'query:limit', 'query:offset']));
    expect(doc.paths['/v1/locks/{lockId}'].get.parameters[0]).toMatchObject({ in: 'path', name: 'lockId', required: true });
  });
});

describe('/docs', () => {
  it('is a self-contained HTML reference of the same routes', async () => {
    const res = await api.fetch('/docs', { headers: { authorization: '' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)[a-z]/i);
    for (const [method, path] of coreRoutes) expect(html).toContain(`${method.toUpperCase()}</span> <code>${path}</code>`);
    expect(html).toContain('id="schema-mapping"');
    expect(html).toContain('Authorization: Bearer &lt;API token&gt;');
  });

  it('escapes every string taken from the document', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const html = renderDocs({
      openapi: '3.1.0',
      info: { title: evil, version: '"1', description: evil },
      paths: {
        '/x/{a}': {
          get: {
            summary: evil,
            tags: [evil],
            parameters: [{ name: evil, in: 'query', schema: { type: 'string', description: evil, default: evil } }],
            responses: { '200': { description: evil, content: { 'application/json': { schema: { type: 'object', properties: { [evil]: { type: 'string', enum: [evil] } } } } } } },
          },
        },
      },
      components: { schemas: { [evil]: { type: 'object', properties: { a: { $ref: `#/components/schemas/${evil}` } } } } },
    } as any);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

// The partner source API description (docs/partner-source-api.openapi.json) stays in step with the catalogue and the contract.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../adapters/contract.ts';
import { fieldPaths } from '../../adapters/reference/extract.ts';
import { loadCatalogue } from '../../broker/catalogue.ts';

interface Schema {
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: string[];
}
const doc = JSON.parse(readFileSync('docs/partner-source-api.openapi.json', 'utf8')) as {
  openapi: string;
  paths: Record<string, { post: { responses: Record<string, unknown>; 'x-idempotent': boolean } }>;
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, { type: string }> };
};
const catalogue = loadCatalogue();

/** The catalogue-style field paths a record schema allows. */
function schemaFields(schema: Schema, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, sub]) => {
    const at = prefix === '' ? name : `${prefix}.${name}`;
    if (sub.items?.properties !== undefined) return schemaFields(sub.items, `${at}[]`);
    return [at];
  });
}

describe('the partner source API description', () => {
  it('is OpenAPI 3.1 with mutual TLS and declares its reads idempotent', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.values(doc.components.securitySchemes).map((s) => s.type)).toEqual(['mutualTLS']);
    expect(doc.paths['/query']?.post['x-idempotent']).toBe(true);
    expect(doc.paths['/document']?.post['x-idempotent']).toBe(true);
  });

  it('lists exactly the catalogue categories, each with exactly its fields', () => {
    expect(doc.components.schemas.Category?.enum).toEqual(Object.keys(catalogue.categories).sort());
    for (const [name, category] of Object.entries(catalogue.categories)) {
      const schema = doc.components.schemas[name.replace('.', '_')];
      expect(schema, name).toBeDefined();
      expect(schemaFields(schema!).sort(), name).toEqual([...category.fields].sort());
    }
  });

  it('gives examples the broker accepts, inside the catalogue fields', () => {
    const examples = (
      doc.paths['/query']?.post.responses['200'] as {
        content: { 'application/json': { examples: Record<string, { value: unknown }> } };
      }
    ).content['application/json'].examples;
    for (const { value } of Object.values(examples)) {
      const answer = parseAnswer(value);
      if (answer.status === 'found') {
        for (const field of fieldPaths(answer.record)) {
          expect(catalogue.categories['politie.registraties']?.fields).toContain(field);
        }
      }
    }
    expect(Object.keys(examples).sort()).toEqual(['found', 'not_found']);
  });
});

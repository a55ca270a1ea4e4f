// /openapi.json and /docs of a broker started in process: every mounted route described, the document valid OpenAPI 3.1.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Agent, fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../broker/config/config.ts';
import { isPagePath } from '../../broker/http/openapi-operations.ts';
import { createLogger } from '../../broker/logger.ts';
import { startBroker, type RunningBroker } from '../../broker/main.ts';
import { scratchDir } from '../support/databases.ts';
import { partnerClients, type PartnerClients } from '../e2e/partner-client.ts';

type Doc = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { security: Record<string, string[]>[]; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string }> };
};

/** Hono's `/v1/cases/:id` and `/v1/audit/proof/:seq{[0-9]+}` in OpenAPI's form. */
const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z_]\w*)(\{[^}]*\})?/g, '{$1}');

describe('the API description', () => {
  const cwd = scratchDir('openapi');
  let broker: RunningBroker;
  let clients: PartnerClients;
  let port: number;

  beforeAll(async () => {
    const config = loadConfig({
      env: { SCHAKEL_DATA_DIR: path.join(cwd, 'var'), SCHAKEL_PORT: '0', SCHAKEL_OPS_PORT: '0' },
      cwd,
    });
    broker = await startBroker(config, createLogger({ level: 'silent' }));
    port = (broker.partnerServer.address() as AddressInfo).port;
    clients = partnerClients(path.join(cwd, 'var/pki'), port);
  }, 60_000);
  afterAll(async () => {
    await clients?.close();
    await broker?.stop();
  });

  const fetchDoc = async (): Promise<Doc> => {
    const answer = await clients.as('demo-ggz', 'behandelaar').get('/openapi.json');
    expect(answer.status).toBe(200);
    return answer.body as unknown as Doc;
  };

  it('describes every API route the partner app mounts (the pages for people are HTML, not API)', async () => {
    const doc = await fetchDoc();
    const mounted = broker.app.routes
      .filter((r) => r.method !== 'ALL' && !isPagePath(r.path))
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`);
    const described = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.keys(methods).map((m) => `${m} ${p}`),
    );
    expect(mounted.length).toBeGreaterThan(20);
    expect(mounted.filter((r) => !described.includes(r))).toEqual([]);
    // And nothing is described that is not mounted.
    expect(described.filter((r) => !mounted.includes(r))).toEqual([]);
  });

  it('is a valid OpenAPI 3.1 document with mutual TLS, the user token and problem+json refusals', async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toBe('3.1.0');
    // The official OAS 3.1 schema plus the parser's own checks, offline (internal $refs only).
    await SwaggerParser.validate(structuredClone(doc) as never);
    expect(doc.components.securitySchemes.mutualTLS?.type).toBe('mutualTLS');
    expect(doc.components.securitySchemes.userToken?.type).toBe('http');
    const requests = doc.paths['/v1/requests']!.post!;
    expect(requests.security).toEqual([{ mutualTLS: [], userToken: [] }]);
    expect(requests.responses['422']).toEqual({
      description: expect.stringContaining('ERR_VALIDATION') as string,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    });
    expect(doc.components.schemas.Problem).toMatchObject({
      required: expect.arrayContaining(['code']) as never,
    });
    expect(doc.paths['/v1/indicators']!.get!.security).toEqual([{ mutualTLS: [] }]);
  });

  it('documents request bodies from the schemas that validate them, with examples that pass them', async () => {
    const doc = (await fetchDoc()) as unknown as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: Record<string, unknown>; example?: unknown }> };
          }
        >
      >;
    };
    const cases = doc.paths['/v1/cases']!.post!.requestBody!.content['application/json']!;
    // The melding's enumerations come from broker/cases/vocabulary.ts, unknown fields are refused.
    expect(cases.schema).toMatchObject({
      additionalProperties: false,
      required: ['subject', 'melding'],
      properties: { melding: { properties: { kanaal: { enum: expect.arrayContaining(['rik']) as never } } } },
    });
    const { openCaseBody } = await import('../../broker/cases/routes.ts');
    const { requestBody } = await import('../../broker/requests/routes.ts');
    const { reviewDecisionSchema } = await import('../../broker/requests/review-service.ts');
    const { consentBodySchema } = await import('../../broker/consents/consent-service.ts');
    const example = (p: string) => doc.paths[p]!.post!.requestBody!.content['application/json']!.example;
    expect(openCaseBody.safeParse(example('/v1/cases')).success).toBe(true);
    expect(requestBody.safeParse(example('/v1/requests')).success).toBe(true);
    expect(reviewDecisionSchema.safeParse(example('/v1/reviews/{id}/decision')).success).toBe(true);
    expect(consentBodySchema.safeParse(example('/v1/consents')).success).toBe(true);
    // Every recordable event type is one alternative with its own data schema.
    const events = doc.paths['/v1/cases/{id}/events']!.post!.requestBody!.content['application/json']!.schema;
    expect((events.anyOf as unknown[]).length).toBeGreaterThan(15);
  });

  it('shows /docs as a page without script under a strict Content Security Policy', async () => {
    const dir = path.join(cwd, 'var/pki/partners/demo-om');
    const agent = new Agent({
      connect: {
        ca: readFileSync(path.join(cwd, 'var/pki/ca.pem'), 'utf8'),
        cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
        key: readFileSync(path.join(dir, 'key.pem'), 'utf8'),
        servername: 'localhost',
      },
    });
    try {
      const res = await fetch(`https://127.0.0.1:${port}/docs`, { dispatcher: agent });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      const page = await res.text();
      expect(page).not.toMatch(/<script/i);
      expect(page).toContain('<code>/v1/reviews/{id}/decision</code>');
      expect(page).toContain('ERR_VALIDATION');
    } finally {
      await agent.close();
    }
  });

  it('refuses /openapi.json without a client certificate', async () => {
    const agent = new Agent({
      connect: { ca: readFileSync(path.join(cwd, 'var/pki/ca.pem'), 'utf8'), servername: 'localhost' },
    });
    try {
      const res = await fetch(`https://127.0.0.1:${port}/openapi.json`, { dispatcher: agent });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe('ERR_CERT_REQUIRED');
    } catch (error) {
      // With rejectUnauthorized the TLS layer may refuse before HTTP: then nothing was served either.
      expect(String((error as Error).cause ?? error)).toMatch(/ECONNRESET|certificate|socket/i);
    } finally {
      await agent.close();
    }
  });
});

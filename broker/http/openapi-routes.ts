// GET /openapi.json and GET /docs: the API description, for any registered partner system or person.
import type { Hono } from 'hono';
import { DOCS_CSP, renderDocsPage } from '../ui/docs-page.ts';
import type { AppEnv } from './env.ts';
import { buildOpenApiDocument, type ApiOperation } from './openapi-document.ts';
import { API_OPERATIONS } from './openapi-operations.ts';

const DESCRIPTION = [
  'A secure information-sharing broker for Dutch threat management. Every call is made over HTTPS with a',
  "client certificate (mutual TLS): a partner organisation's system certificate, or a person's personal",
  'certificate for the pages and the administrative endpoints. A partner system acting for one of its',
  "users sends that user's short-lived token as `Authorization: Bearer <jwt>`. Every refusal is",
  'RFC 9457 application/problem+json with a stable `code`; every decision is written to the',
  'hash-chained disclosure log before anything is disclosed. The pages for people under /ui are HTML',
  'and not described here.',
].join(' ');

/**
 * The document from the operation list; built once, since the schemas do not change while running.
 *
 * @example const doc = openApiDocument();
 */
export function openApiDocument(
  operations: readonly ApiOperation[] = API_OPERATIONS,
  version = '0.1.0',
): Record<string, unknown> {
  return buildOpenApiDocument(operations, { version, description: DESCRIPTION });
}

/**
 * Mounts `GET /openapi.json` and `GET /docs`. The identity guard admits any registered partner
 * system (no user token needed) or person (audience `any` in guard.ts): the description holds no
 * secrets, but the partner port itself is not public.
 *
 * @example createApp({ ..., routes: [openApiRoutes({ version: '0.1.0' })] })
 */
export function openApiRoutes(options: { version?: string } = {}) {
  let doc: Record<string, unknown> | undefined;
  let page: string | undefined;
  const document = () => (doc ??= openApiDocument(API_OPERATIONS, options.version));
  return (app: Hono<AppEnv>) => {
    app.get('/openapi.json', (c) => c.json(document()));
    app.get('/docs', async (c) => {
      page ??= String(await renderDocsPage(document()));
      c.header('content-security-policy', DOCS_CSP);
      c.header('x-frame-options', 'DENY');
      c.header('referrer-policy', 'no-referrer');
      return c.html(page);
    });
  };
}

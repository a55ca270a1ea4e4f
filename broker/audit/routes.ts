// HTTP routes of the log: checkpoint, inclusion proofs, entries for readers, receipts and the JWKS.
import type { Context, Hono } from 'hono';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { AppEnv } from '../http/env.ts';
import { AuditAccessDeniedError } from './errors.ts';
import type { Jwks } from './keyring.ts';
import type { AuditQueries } from './reader.ts';
import type { ReceiptService } from './receipts.ts';
import type { AuditReader } from './visibility.ts';

export interface AuditRoutesDeps {
  readonly queries: AuditQueries;
  readonly receipts: ReceiptService;
  /** The current public keys, re-read per request so a rotation shows without restart. */
  readonly jwks: () => Jwks;
  /** Who is reading (from the verified identity); undefined when the caller may not read the log. */
  readonly getReader: (c: Context<AppEnv>) => AuditReader | undefined;
}

/** The part of the identity the log needs to decide who reads (kept structural on purpose). */
export interface ReaderIdentity {
  readonly kind: 'system' | 'person';
  readonly partner: { readonly id: string };
  readonly person?: { readonly role: string };
}

/** Maps a verified identity to a log reader: auditors read all, partner systems their own entries. */
export function readerFromIdentity(identity: ReaderIdentity | undefined): AuditReader | undefined {
  if (identity === undefined) return undefined;
  if (identity.kind === 'person')
    return identity.person?.role === 'auditor' ? { role: 'auditor' } : undefined;
  return { role: 'partner', partnerId: identity.partner.id };
}

const MAX_LIMIT = 1000;
const FIRST_INSTANT = Date.parse('0001-01-01T00:00:00.000Z');
const LAST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

function intParam(
  c: Context<AppEnv>,
  name: string,
  min: number,
  max: number,
  fallback?: number,
): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ValidationError(`${name} must be a whole number from ${min} to ${max}`, {
      errors: [{ field: name, message: `a whole number from ${min} to ${max}` }],
    });
  }
  return value;
}

function dateParam(c: Context<AppEnv>, name: string): Date | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const date = new Date(raw);
  // PostgreSQL refuses year 0 and the six-digit years toISOString() writes beyond 9999: refused
  // here, with the parameter named, instead of failing at the database.
  const time = date.getTime();
  if (Number.isNaN(time) || time < FIRST_INSTANT || time > LAST_INSTANT) {
    throw new ValidationError(`${name} must be an ISO 8601 date in the years 1 to 9999`, {
      errors: [{ field: name, message: 'an ISO 8601 date in the years 1 to 9999 (UTC)' }],
    });
  }
  return date;
}

const RECEIPT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The entry types the log takes (validateRecord's rule): anything else matches no entry. */
const ENTRY_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;

function typeParam(c: Context<AppEnv>): string | undefined {
  const raw = c.req.query('type');
  if (raw === undefined) return undefined;
  // Checked here: a NUL in it would reach PostgreSQL, which refuses it as text (500).
  if (!ENTRY_TYPE.test(raw)) {
    throw new ValidationError('type must be an entry type such as case.opened', {
      errors: [{ field: 'type', message: 'a dotted lower-case entry type of at most 64 characters' }],
    });
  }
  return raw;
}

/**
 * Mounts `GET /v1/audit/checkpoint`, `GET /v1/audit/proof/{seq}`, `GET /v1/audit/entries`,
 * `GET /v1/receipts/{id}` and `GET /.well-known/jwks.json`.
 *
 * @example createApp({ ..., routes: [auditRoutes({ queries, receipts, jwks: () => keyring.jwks, getReader })] })
 */
export function auditRoutes(deps: AuditRoutesDeps) {
  const reader = (c: Context<AppEnv>): AuditReader => {
    const r = deps.getReader(c);
    if (r === undefined)
      throw new AuditAccessDeniedError('Only the auditor and partner systems read the disclosure log.');
    return r;
  };

  return (app: Hono<AppEnv>) => {
    app.get('/.well-known/jwks.json', (c) => c.json(deps.jwks()));

    app.get('/v1/audit/checkpoint', async (c) => {
      const checkpoint = await deps.queries.latestCheckpoint();
      if (checkpoint === undefined) throw new NotFoundError('The log has no entries yet.');
      return c.json(checkpoint);
    });

    app.get('/v1/audit/proof/:seq{[0-9]+}', async (c) => {
      reader(c);
      const proof = await deps.queries.inclusionProof(Number(c.req.param('seq')));
      if (proof === undefined)
        throw new NotFoundError('No committed entry with that sequence number has a proof.');
      return c.json(proof);
    });

    app.get('/v1/audit/entries', async (c) => {
      const r = reader(c);
      const after = intParam(c, 'after', 0, Number.MAX_SAFE_INTEGER);
      const type = typeParam(c);
      const from = dateParam(c, 'from');
      const to = dateParam(c, 'to');
      const page = await deps.queries.listEntries(r, {
        limit: intParam(c, 'limit', 1, MAX_LIMIT, 100)!,
        ...(after === undefined ? {} : { after }),
        ...(type === undefined ? {} : { type }),
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      });
      return c.json(page);
    });

    app.get('/v1/receipts/:id', async (c) => {
      const r = reader(c);
      const id = c.req.param('id');
      // Receipt ids are UUIDs; anything else (a NUL would reach PostgreSQL as text: 500) names none.
      const receipt = RECEIPT_ID.test(id) ? await deps.receipts.getReceipt(id) : undefined;
      // 404, not 403: another partner's receipt must not be shown to exist.
      if (
        receipt === undefined ||
        (r.role === 'partner' && r.partnerId !== receipt.requester) ||
        r.role === 'privacy_officer'
      ) {
        throw new NotFoundError('No such receipt.');
      }
      return c.json({ id: receipt.id, receipt: receipt.jws });
    });
  };
}

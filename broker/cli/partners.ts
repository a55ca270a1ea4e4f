// `schakel partners add|update|list`: the partner registry, keyed by (OIN or URA, unit).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.ts';
import type { Jwks } from '../identity/registry.ts';
import { PARTNER_KINDS } from '../identity/roles.ts';
import { withRegistry } from './registry-session.ts';
import type { PartnerKind } from '../store/schema.ts';
import { EXIT_OK, type Command } from './command.ts';
import { setReviewWebhook } from './review-webhook.ts';

function readJwks(file: string | undefined): Jwks | undefined {
  if (file === undefined) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Jwks;
  } catch (error) {
    throw new UsageError(`cannot read the JWKS in ${file}: ${(error as Error).message}`);
  }
}

const EMBEDDED_NOTE = `With the embedded database (no SCHAKEL_DATABASE_URL), stop \`schakel serve\` first: PGlite is
single-process.`;

export const partnersAddCommand: Command = {
  path: ['partners', 'add'],
  summary: 'register a partner',
  help: `Usage: schakel partners add --id ID --kind KIND (--oin OIN | --ura URA) [--unit OU] [--org NAME]
                            [--national] [--jwks FILE]

Registers a partner. Its client certificates are recognised by (OIN, unit) or (URA, unit): the OIN
from the subject serialNumber, the URA from a UZI otherName, the unit from the subject OU. Several
partners can share an OIN with different units (the national team and DKDB under the politie OIN).
--jwks names the partner's public token keys (token-jwks.json from \`schakel pki issue\`).
Kinds: ${PARTNER_KINDS.join(', ')}. The registration is recorded in the audit log.

${EMBEDDED_NOTE}`,
  async run(args) {
    const { values: v } = parseArgs({
      args: [...args],
      options: {
        id: { type: 'string' },
        kind: { type: 'string' },
        oin: { type: 'string' },
        ura: { type: 'string' },
        unit: { type: 'string' },
        org: { type: 'string' },
        national: { type: 'boolean' },
        jwks: { type: 'string' },
      },
      strict: true,
    });
    if (v.id === undefined || v.kind === undefined) throw new UsageError('--id and --kind are required');
    if (!(PARTNER_KINDS as readonly string[]).includes(v.kind)) {
      throw new UsageError(`--kind must be one of ${PARTNER_KINDS.join(', ')}`);
    }
    if ((v.oin === undefined) === (v.ura === undefined))
      throw new UsageError('give exactly one of --oin and --ura');
    const jwks = readJwks(v.jwks);
    const partner = await withRegistry((registry) =>
      registry.addPartner({
        id: v.id!,
        kind: v.kind as PartnerKind,
        identifierType: v.oin === undefined ? 'ura' : 'oin',
        identifier: v.oin ?? v.ura!,
        unit: v.unit,
        organisation: v.org,
        national: v.national,
        jwks,
      }),
    );
    console.log(
      `registered ${partner.id} (${partner.kind}, ${partner.identifierType.toUpperCase()} ${partner.identifier}${partner.unit === '' ? '' : `, unit ${partner.unit}`})`,
    );
    return EXIT_OK;
  },
};

export const partnersUpdateCommand: Command = {
  path: ['partners', 'update'],
  summary: "change a partner's organisation name, national flag, token keys or review webhook",
  help: `Usage: schakel partners update --id ID [--org NAME] [--national | --no-national] [--jwks FILE]
                               [--review-webhook URL | --no-review-webhook]

Changes a registered partner; the change (before and after) is recorded in the audit log. Use
--jwks to roll the partner's token keys (put old and new keys in one JWKS during the change-over).
--review-webhook registers the https:// URL a holder is told of each new review at (a JWS signed
with the broker's receipt key, sent with the broker's client certificate; see broker/webhooks/README.md);
--no-review-webhook removes it.

${EMBEDDED_NOTE}`,
  async run(args) {
    const { values: v } = parseArgs({
      args: [...args],
      options: {
        id: { type: 'string' },
        org: { type: 'string' },
        national: { type: 'boolean' },
        'no-national': { type: 'boolean' },
        jwks: { type: 'string' },
        'review-webhook': { type: 'string' },
        'no-review-webhook': { type: 'boolean' },
      },
      strict: true,
    });
    if (v.id === undefined) throw new UsageError('--id is required');
    if (v['review-webhook'] !== undefined && v['no-review-webhook'] === true) {
      throw new UsageError('give --review-webhook URL or --no-review-webhook, not both');
    }
    const national = v['no-national'] === true ? false : v.national;
    const webhookOnly = v.org === undefined && national === undefined && v.jwks === undefined;
    const hasWebhook = v['review-webhook'] !== undefined || v['no-review-webhook'] === true;
    if (!(webhookOnly && hasWebhook)) {
      await withRegistry((registry) =>
        registry.updatePartner(v.id!, { organisation: v.org, national, jwks: readJwks(v.jwks) }),
      );
    }
    if (hasWebhook) {
      const url = await setReviewWebhook(v.id, v['review-webhook'] ?? null);
      console.log(
        url === null ? `removed the review webhook of ${v.id}` : `review webhook of ${v.id}: ${url}`,
      );
    }
    console.log(`updated ${v.id}`);
    return EXIT_OK;
  },
};

export const partnersListCommand: Command = {
  path: ['partners', 'list'],
  summary: 'list registered partners',
  help: `Usage: schakel partners list [--json]

Lists the registered partners: id, kind, identifier type and value, unit, organisation, national,
and the ids (kid) of their registered token keys.`,
  async run(args) {
    const { values } = parseArgs({ args: [...args], options: { json: { type: 'boolean' } }, strict: true });
    const partners = await withRegistry((registry) => registry.listPartners());
    if (values.json === true) {
      console.log(
        JSON.stringify(
          partners.map((p) => ({ ...p, jwks: undefined, tokenKeys: p.jwks?.keys.map((k) => k.kid) ?? [] })),
          null,
          2,
        ),
      );
      return EXIT_OK;
    }
    for (const p of partners) {
      console.log(
        `${p.id.padEnd(22)} ${p.kind.padEnd(16)} ${p.identifierType.toUpperCase()} ${p.identifier.padEnd(20)} ${p.unit === '' ? '-' : p.unit}${p.national ? ' (national)' : ''}  ${p.organisation}`,
      );
    }
    return EXIT_OK;
  },
};

// `schakel pki issue`: a partner-system certificate (with token key) or a personal certificate for the pages.
import { parseArgs } from 'node:util';
import { hasIssued, issuePartnerCertificate, issuePersonCertificate } from '../../keys/issue.ts';
import { OIN_PATTERN, URA_PATTERN } from '../../keys/profiles.ts';
import { UsageError } from '../errors.ts';
import { PERSON_ROLES } from '../identity/roles.ts';
import { loadRuntimeConfig } from '../main.ts';
import { EXIT_OK, type Command } from './command.ts';

export const pkiIssueCommand: Command = {
  path: ['pki', 'issue'],
  summary: 'issue a partner-system or personal client certificate',
  help: `Usage:
  schakel pki issue --partner ID (--oin OIN | --ura URA) --org NAME [--unit OU] --out DIR
  schakel pki issue --person NAME --partner ID --role ROLE [--id PERSON_ID] --out DIR

A partner system gets DIR/cert.pem (leaf then issuing CA), DIR/key.pem (0600), DIR/token-key.jwk
(its private token-signing key, 0600) and DIR/token-jwks.json (register it with
\`schakel partners add ... --jwks DIR/token-jwks.json\`). The OIN goes in the subject serialNumber
(OID 2.5.4.5) as PKIoverheid does; a URA goes in a subjectAltName otherName (2.5.5.5) as UZI server
certificates carry it. The unit (OU) separates partners under one OIN.

A person gets DIR/cert.pem and DIR/key.pem for signing in to the pages; the certificate names the
person id (UID, default derived from NAME), the role (title) and the partner (OU). Register the
person with \`schakel people add\`. Roles: ${PERSON_ROLES.join(', ')}.

Options: --dir DIR (the PKI, default SCHAKEL_PKI_DIR or ./var/pki), --days N (validity, default
365), --force (overwrite DIR's files).`,
  async run(args) {
    const { values: v } = parseArgs({
      args: [...args],
      options: {
        partner: { type: 'string' },
        person: { type: 'string' },
        id: { type: 'string' },
        role: { type: 'string' },
        oin: { type: 'string' },
        ura: { type: 'string' },
        org: { type: 'string' },
        unit: { type: 'string' },
        out: { type: 'string' },
        dir: { type: 'string' },
        days: { type: 'string' },
        force: { type: 'boolean' },
      },
      strict: true,
    });
    if (v.partner === undefined || v.out === undefined)
      throw new UsageError('--partner and --out are required; see --help');
    if (hasIssued(v.out) && v.force !== true) {
      throw new UsageError(`${v.out} already holds a certificate; pass --force to replace it`);
    }
    const dir = v.dir ?? loadRuntimeConfig().pki.dir;
    const days = v.days === undefined ? 365 : Number(v.days);
    if (!Number.isInteger(days) || days < 1 || days > 825) throw new UsageError('--days must be 1 to 825');
    const notAfter = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
    if (v.person !== undefined) {
      if (v.role === undefined || !(PERSON_ROLES as readonly string[]).includes(v.role)) {
        throw new UsageError(`--role must be one of ${PERSON_ROLES.join(', ')}`);
      }
      const personId =
        v.id ??
        v.person
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z0-9]+/g, '-')
          .replace(/^-|-$/g, '');
      const issued = await issuePersonCertificate(dir, {
        personId,
        name: v.person,
        partnerId: v.partner,
        role: v.role,
        organisation: v.org,
        out: v.out,
        notAfter,
      });
      console.log(`issued ${issued.serial} to ${issued.subject}\n  ${issued.files.join('\n  ')}`);
      console.log(
        `register: schakel people add --id ${personId} --name "${v.person}" --partner ${v.partner} --role ${v.role}`,
      );
      return EXIT_OK;
    }
    if ((v.oin === undefined) === (v.ura === undefined))
      throw new UsageError('give exactly one of --oin and --ura');
    if (v.oin !== undefined && !OIN_PATTERN.test(v.oin)) throw new UsageError('--oin must be 20 digits');
    if (v.ura !== undefined && !URA_PATTERN.test(v.ura)) throw new UsageError('--ura must be 8 digits');
    if (v.org === undefined) throw new UsageError('--org NAME is required for a partner system');
    const issued = await issuePartnerCertificate(dir, {
      partnerId: v.partner,
      oin: v.oin,
      ura: v.ura,
      organisation: v.org,
      unit: v.unit,
      out: v.out,
      notAfter,
    });
    console.log(`issued ${issued.serial} to ${issued.subject}\n  ${issued.files.join('\n  ')}`);
    return EXIT_OK;
  },
};

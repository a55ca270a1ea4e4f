// `schakel pki revoke`: revoke a certificate; a running broker picks the new CRLs up within a second.
import { parseArgs } from 'node:util';
import { revokeCertificate } from '../../keys/crl.ts';
import { UsageError } from '../errors.ts';
import { loadRuntimeConfig } from '../main.ts';
import { EXIT_OK, type Command } from './command.ts';

export const pkiRevokeCommand: Command = {
  path: ['pki', 'revoke'],
  summary: 'revoke a certificate (new CRLs for every CA level)',
  help: `Usage: schakel pki revoke --serial HEX [--reason TEXT] [--dir DIR]

Revokes a certificate this PKI issued (see \`schakel pki list\`) and re-signs the CRLs of the root
and issuing CA. A running broker watches the CRL files: new handshakes with the certificate fail and
its open connections are closed within a second. The broker records the revocation in the audit log.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { serial: { type: 'string' }, reason: { type: 'string' }, dir: { type: 'string' } },
      strict: true,
    });
    if (values.serial === undefined || !/^[0-9a-fA-F:]+$/.test(values.serial)) {
      throw new UsageError('--serial HEX is required (see schakel pki list)');
    }
    const dir = values.dir ?? loadRuntimeConfig().pki.dir;
    try {
      const r = await revokeCertificate(
        dir,
        values.serial.replaceAll(':', ''),
        values.reason ?? 'unspecified',
      );
      console.log(
        `${r.alreadyRevoked ? 'already revoked' : 'revoked'} ${r.serial} (${r.subject}); CRLs re-signed`,
      );
      return EXIT_OK;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_CERT_NOT_FOUND')
        throw new UsageError((error as Error).message);
      throw error;
    }
  },
};

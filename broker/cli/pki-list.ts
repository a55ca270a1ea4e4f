// `schakel pki list`: every certificate the PKI issued, with its state.
import { parseArgs } from 'node:util';
import { certificateRecords, readLedger } from '../../keys/ledger.ts';
import { loadRuntimeConfig } from '../main.ts';
import { EXIT_OK, type Command } from './command.ts';

export const pkiListCommand: Command = {
  path: ['pki', 'list'],
  summary: 'list issued certificates and whether they are revoked',
  help: `Usage: schakel pki list [--dir DIR] [--json]

Lists every certificate in the PKI's ledger: serial, kind (ca, server, system, person), partner or
person, valid-until and state (valid, expired, revoked).`,
  run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { dir: { type: 'string' }, json: { type: 'boolean' } },
      strict: true,
    });
    const dir = values.dir ?? loadRuntimeConfig().pki.dir;
    const now = Date.now();
    const rows = certificateRecords(readLedger(dir)).map((r) => ({
      serial: r.serial,
      kind: r.kind,
      holder: r.person ?? r.partner ?? r.subject,
      role: r.role,
      notAfter: r.notAfter,
      state: r.revokedAt !== undefined ? 'revoked' : Date.parse(r.notAfter) < now ? 'expired' : 'valid',
    }));
    if (values.json === true) console.log(JSON.stringify(rows, null, 2));
    else {
      for (const r of rows) {
        console.log(
          `${r.serial.padEnd(34)} ${r.kind.padEnd(7)} ${r.state.padEnd(8)} ${r.notAfter.slice(0, 10)}  ${r.holder}${r.role === undefined ? '' : ` (${r.role})`}`,
        );
      }
    }
    return Promise.resolve(EXIT_OK);
  },
};

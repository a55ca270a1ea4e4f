// `schakel pki init`: create a root CA, an issuing CA, the server certificate and their CRLs.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pkiPaths } from '../../keys/dev-pki.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { UsageError } from '../errors.ts';
import { loadRuntimeConfig } from '../main.ts';
import { EXIT_OK, type Command } from './command.ts';

export const pkiInitCommand: Command = {
  path: ['pki', 'init'],
  summary: 'create a root + issuing CA, the server certificate and CRLs',
  help: `Usage: schakel pki init [--dir DIR] [--name HOST]... [--force]

Creates a PKI under DIR (default SCHAKEL_PKI_DIR or ./var/pki): a root CA (10 years), an issuing CA
(5 years), the broker's server certificate for the given host names (default localhost, 127.0.0.1,
::1) and a CRL for each CA level (crl/root-ca.pem, crl/issuing-ca.pem). Private keys are written
with mode 0600. The CA bundle partners trust is DIR/ca.pem. Refuses to overwrite an existing PKI
unless --force.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        dir: { type: 'string' },
        name: { type: 'string', multiple: true },
        force: { type: 'boolean' },
      },
      strict: true,
    });
    const dir = values.dir ?? loadRuntimeConfig().pki.dir;
    if (existsSync(pkiPaths(dir).caBundle) && values.force !== true) {
      throw new UsageError(
        `a PKI already exists in ${dir}; pass --force to replace it (every issued certificate stops working)`,
      );
    }
    await createPki(dir, values.name === undefined ? {} : { serverNames: values.name });
    console.log(`created a PKI in ${dir}\n  trust bundle: ${pkiPaths(dir).caBundle}`);
    return EXIT_OK;
  },
};

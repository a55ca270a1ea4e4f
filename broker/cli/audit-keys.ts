// `schakel audit keys rotate`: a new checkpoint and receipt signing key; the old one stays published.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readKeyringFile, writeKeyringFile } from '../audit/key-files.ts';
import { rotateKeyringFile } from '../audit/keyring.ts';
import { UsageError } from '../errors.ts';
import { loadRuntimeConfig } from '../main.ts';
import { EXIT_OK, type Command } from './command.ts';

export const auditKeysRotateCommand: Command = {
  path: ['audit', 'keys', 'rotate'],
  summary: 'rotate the audit signing key (old public keys stay in the JWKS)',
  help: `Usage: schakel audit keys rotate

Adds a new active ES256 key to SCHAKEL_AUDIT_SIGNING_KEYS_FILE and retires the previous one,
keeping only its public part, so checkpoints and receipts it signed still verify through
/.well-known/jwks.json. The JWKS shows the new key at once; restart the broker processes to sign
with it.`,
  async run(args) {
    parseArgs({ args: [...args], options: {}, strict: true });
    const { audit } = loadRuntimeConfig();
    if (!existsSync(audit.signingKeysFile))
      throw new UsageError(`no audit signing keys at ${audit.signingKeysFile}`);
    const rotated = await rotateKeyringFile(readKeyringFile(audit.signingKeysFile));
    writeKeyringFile(audit.signingKeysFile, rotated);
    console.log(`new active key ${rotated.keys[0]!.kid}; ${rotated.keys.length - 1} retired key(s) kept`);
    return EXIT_OK;
  },
};

// `schakel pki token`: mint a user token the way a partner system would, for trying the API.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { certificateFacts } from '../../keys/certificate-facts.ts';
import { issuedFiles } from '../../keys/issue.ts';
import { UsageError } from '../errors.ts';
import { MAX_TOKEN_LIFETIME_S, mintUserToken } from '../identity/user-token.ts';
import { loadRuntimeConfig } from '../main.ts';
import { EXIT_OK, type Command } from './command.ts';

export const pkiTokenCommand: Command = {
  path: ['pki', 'token'],
  summary: "mint a user token with a partner's token key",
  help: `Usage: schakel pki token --partner ID --user U --role R [--key FILE] [--cert FILE] [--ttl 300]

Prints a JWT (ES256) naming user U acting as R, issued by partner ID for audience "schakel" and
bound to the partner's client certificate (cnf.x5t#S256). The key and certificate default to the
dev PKI's ./var/pki/partners/ID/token-key.jwk and cert.pem. --ttl is at most ${MAX_TOKEN_LIFETIME_S} seconds.

  curl --cert var/pki/partners/demo-politie/cert.pem --key var/pki/partners/demo-politie/key.pem \\
       --cacert var/pki/ca.pem -H "Authorization: Bearer $(npx schakel pki token --partner demo-politie --user u-1 --role analist)" \\
       https://localhost:8443/v1/whoami`,
  async run(args) {
    const { values: v } = parseArgs({
      args: [...args],
      options: {
        partner: { type: 'string' },
        user: { type: 'string' },
        role: { type: 'string' },
        key: { type: 'string' },
        cert: { type: 'string' },
        ttl: { type: 'string' },
        dir: { type: 'string' },
      },
      strict: true,
    });
    if (v.partner === undefined || v.user === undefined || v.role === undefined) {
      throw new UsageError('--partner, --user and --role are required');
    }
    const ttl = v.ttl === undefined ? 300 : Number(v.ttl);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_LIFETIME_S) {
      throw new UsageError(`--ttl must be 1 to ${MAX_TOKEN_LIFETIME_S} seconds`);
    }
    const files = issuedFiles(path.join(v.dir ?? loadRuntimeConfig().pki.dir, 'partners', v.partner));
    let key: JWK;
    let certPem: string;
    try {
      key = JSON.parse(readFileSync(v.key ?? files.tokenKey, 'utf8')) as JWK;
      certPem = readFileSync(v.cert ?? files.cert, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read the token key or certificate: ${(error as Error).message}; pass --key and --cert`,
      );
    }
    const token = await mintUserToken({
      partnerId: v.partner,
      user: v.user,
      role: v.role,
      key,
      x5tS256: certificateFacts(certPem).x5tS256,
      ttlSeconds: ttl,
    });
    process.stdout.write(`${token}\n`);
    return EXIT_OK;
  },
};

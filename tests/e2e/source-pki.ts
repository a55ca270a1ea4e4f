// The PKI a `schakel serve` with real partner sources needs: the dev CA, the broker's own client certificate
// for reaching sources, and the server certificate a source simulator presents.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runSchakel } from '../support/processes.ts';

/** What a source test wires into `schakel serve` and its simulator. */
export interface SourcePki {
  /** The PKI directory (`var/pki` under the working directory). */
  readonly dir: string;
  /** The broker's client certificate for sources: `cert.pem` and `key.pem`. */
  readonly clientDir: string;
  /** TLS material for a simulator: the dev server certificate, its key and the CA. */
  readonly serverTls: { readonly cert: string; readonly key: string; readonly ca: string };
}

/** Creates the dev PKI in `cwd` and issues the broker a client certificate, as an operator would with the CLI. */
export async function prepareSourcePki(cwd: string): Promise<SourcePki> {
  const dir = path.join(cwd, 'var/pki');
  expect((await runSchakel(['pki', 'init'], { cwd })).code).toBe(0);
  const clientDir = path.join(cwd, 'broker-client');
  const issued = await runSchakel(
    [
      'pki',
      'issue',
      '--partner',
      'schakel-broker',
      '--oin',
      '00000001003214399000',
      '--org',
      'schakel broker',
      '--out',
      clientDir,
    ],
    { cwd },
  );
  expect(issued.code, issued.stderr).toBe(0);
  return {
    dir,
    clientDir,
    serverTls: {
      cert: readFileSync(path.join(dir, 'server/cert.pem'), 'utf8'),
      key: readFileSync(path.join(dir, 'server/key.pem'), 'utf8'),
      ca: readFileSync(path.join(dir, 'ca.pem'), 'utf8'),
    },
  };
}

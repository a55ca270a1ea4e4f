// Starting with the operator's own TLS files but no CRLs: the broker starts, and says loudly that revocation is off.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../broker/config/config.ts';
import { createLogger } from '../../broker/logger.ts';
import { startBroker } from '../../broker/main.ts';
import { pkiPaths } from '../../keys/dev-pki.ts';
import { crlFiles } from '../../keys/pki-files.ts';
import { createPki } from '../../keys/pki-setup.ts';
import { scratchDir } from '../support/databases.ts';

/** Starts and stops a broker with the given settings; returns what it logged. */
async function startLog(cwd: string, env: Record<string, string>): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const config = loadConfig({
    env: { SCHAKEL_DATA_DIR: path.join(cwd, 'var'), SCHAKEL_PORT: '0', SCHAKEL_OPS_PORT: '0', ...env },
    cwd,
  });
  const broker = await startBroker(config, logger);
  await broker.stop();
  return lines;
}

describe('revocation at start-up', () => {
  const cwd = scratchDir('revocation-off');
  const pki = path.join(cwd, 'pki');
  const own = () => ({
    SCHAKEL_TLS_CERT_FILE: pkiPaths(pki).serverCert,
    SCHAKEL_TLS_KEY_FILE: pkiPaths(pki).serverKey,
    SCHAKEL_TLS_CA_FILE: pkiPaths(pki).caBundle,
  });
  const revocationOff = (lines: Record<string, unknown>[]) =>
    lines.filter((l) => l.level === 50 && String(l.msg).startsWith('REVOCATION IS OFF'));

  beforeAll(() => createPki(pki), 60_000);

  it('starts with its own TLS files and no CRLs, logging an error that revocation is off', async () => {
    const lines = await startLog(cwd, own());
    expect(revocationOff(lines)).toEqual([
      expect.objectContaining({ setting: 'SCHAKEL_TRUST_CRL_FILES', revocationChecked: false }),
    ]);
  }, 60_000);

  it('says nothing of the kind when the CRLs are configured', async () => {
    const crls = crlFiles(pki);
    const lines = await startLog(cwd, { ...own(), SCHAKEL_TRUST_CRL_FILES: `${crls.root},${crls.issuing}` });
    expect(lines.length).toBeGreaterThan(0);
    expect(revocationOff(lines)).toEqual([]);
  }, 60_000);
});

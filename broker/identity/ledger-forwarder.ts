// Forwards the PKI ledger (certificates issued and revoked by `schakel pki`) into the audit log, once each.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readLedger } from '../../keys/ledger.ts';
import type { IdentityAudit } from './identity-audit.ts';

/**
 * Sends ledger entries not yet forwarded to the audit log and remembers how far it got
 * (`ledger.forwarded` in the PKI directory). `schakel pki` runs without the database, so the
 * broker records its work; stops at the first entry the log refuses and retries it next time.
 *
 * @returns how many entries were forwarded.
 */
export async function forwardLedger(
  dir: string,
  audit: Pick<IdentityAudit, 'certificateIssued' | 'certificateRevoked'>,
): Promise<number> {
  const marker = path.join(dir, 'ledger.forwarded');
  const done = existsSync(marker) ? Number(readFileSync(marker, 'utf8').trim()) || 0 : 0;
  const entries = readLedger(dir).slice(done);
  let forwarded = 0;
  for (const entry of entries) {
    const { event, ...details } = entry;
    if (event === 'issued') await audit.certificateIssued(details);
    else await audit.certificateRevoked(details);
    forwarded++;
    writeFileSync(marker, `${done + forwarded}\n`, { mode: 0o600 });
  }
  return forwarded;
}

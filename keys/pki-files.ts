// File helpers of the PKI: atomic writes (a watcher never reads half a CRL) with private files at 0600.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes a file through a temporary name and a rename; secrets get mode 0600 and a 0700 directory. */
export function writeFileAtomic(file: string, content: string, secret: boolean): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: secret ? 0o600 : 0o644 });
  if (secret) chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** The CRL files of a PKI directory, one per CA level. */
export function crlFiles(dir: string): { readonly root: string; readonly issuing: string } {
  return { root: path.join(dir, 'crl', 'root-ca.pem'), issuing: path.join(dir, 'crl', 'issuing-ca.pem') };
}

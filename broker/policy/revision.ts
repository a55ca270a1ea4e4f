// The bundle revision: a content hash of the policy sources and catalogue, as policies/build.sh computes it.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

function regoFiles(root: string, dir = '.'): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return rel === './bundle' || rel === './tools' ? [] : regoFiles(root, rel);
    return entry.name.endsWith('.rego') && !entry.name.endsWith('_test.rego') ? [rel] : [];
  });
}

/**
 * The SHA-256 of the `sha256sum` listing (sorted by path, byte order) of the non-test Rego files and
 * `catalogue/data.json` under `policiesDir`: equal to the committed bundle's revision unless the
 * sources changed after the last build.
 */
export function sourceRevision(policiesDir: string): string {
  const files = [...regoFiles(policiesDir), './catalogue/data.json'].sort((a, b) =>
    Buffer.compare(Buffer.from(a), Buffer.from(b)),
  );
  const listing = files
    .map(
      (f) =>
        `${createHash('sha256')
          .update(readFileSync(path.join(policiesDir, f)))
          .digest('hex')}  ${f}\n`,
    )
    .join('');
  return createHash('sha256').update(listing).digest('hex');
}

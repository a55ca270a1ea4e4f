// The ready-to-paste commands `schakel serve` prints: curl with a demo partner's certificate, and a user token.
import path from 'node:path';

/** Lines of example commands for the partner API (with the demo partner's files when demo data is on). */
export function tryIt(pkiDir: string, port: number, demo: boolean): string {
  const rel = path.relative(process.cwd(), pkiDir) || '.';
  const url = `https://localhost:${port}/v1/whoami`;
  if (!demo) return `  curl --cacert ${rel}/ca.pem --cert CERT.pem --key KEY.pem ${url}\n`;
  const p = `${rel}/partners/demo-politie`;
  const tls = `--cert ${p}/cert.pem --key ${p}/key.pem --cacert ${rel}/ca.pem`;
  return (
    `  curl ${tls} ${url}\n` +
    `  curl ${tls} -H "Authorization: Bearer $(npx schakel pki token --partner demo-politie --user u-1 --role analist)" ${url}\n` +
    `  curl --cert ${rel}/people/po-politie/cert.pem --key ${rel}/people/po-politie/key.pem --cacert ${rel}/ca.pem ${url}\n`
  );
}

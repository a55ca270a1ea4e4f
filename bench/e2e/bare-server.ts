// The ceiling: a bare Hono endpoint on the broker's own HTTPS server settings (same certificates, TLS options, Node).
// Run as a child process by the benchmark: node bench/e2e/bare-server.ts PKI_DIR; prints the port on stdout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Hono } from 'hono';
import { portOf, startPartnerServer } from '../../broker/http/servers.ts';

const pkiDir = process.argv[2];
if (pkiDir === undefined) {
  console.error('usage: node bench/e2e/bare-server.ts PKI_DIR');
  process.exit(2);
}

const app = new Hono();
// Reads the JSON body and answers a small JSON document: no identity, policy, store or log.
app.post('/v1/requests', async (c) => {
  const body = await c.req.json<{ categories?: string[] }>();
  return c.json({
    id: 'bare',
    items: (body.categories ?? []).map((category) => ({ category, outcome: 'bare' })),
  });
});

const read = (file: string) => readFileSync(path.join(pkiDir, file), 'utf8');
const server = await startPartnerServer({
  host: '127.0.0.1',
  port: 0,
  tls: { cert: read('server/cert.pem'), key: read('server/key.pem'), ca: read('ca.pem') },
  app,
});
process.stdout.write(`${portOf(server)}\n`);
process.once('SIGTERM', () => server.close(() => process.exit(0)));

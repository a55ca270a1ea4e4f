// The stack a team would otherwise assemble: nginx terminating mutual TLS, auth_request to a shim that asks an OPA server, a trivial upstream.
import { X509Certificate, createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { POLICIES_DIR } from '../../broker/policy/paths.ts';
import type { PolicyCase } from '../../broker/policy/types.ts';
import { startBinary, startNodeServer, type Child } from './children.ts';
import { freePort } from './ports.ts';

export const NGINX = process.env.SCHAKEL_BENCH_NGINX ?? '/usr/sbin/nginx';
export const OPA = process.env.SCHAKEL_BENCH_OPA ?? path.join(os.homedir(), 'go/bin/opa');

export interface AltStack {
  readonly port: number;
  /** nginx master (its workers are children), the shim, OPA. */
  readonly pids: { readonly nginx: number; readonly shim: number; readonly opa: number };
  stop(): Promise<void>;
}

export interface AltStackOptions {
  readonly workDir: string;
  readonly pkiDir: string;
  readonly partners: readonly { id: string; kind: string; national: boolean }[];
  readonly cases: Record<string, PolicyCase>;
  readonly subjectPseudonym: string;
  /** nginx worker processes (default: one per core). */
  readonly nginxWorkers?: number;
}

/** Which of the two binaries are missing, with how to get them. */
export function missingTools(): string[] {
  const missing: string[] = [];
  if (!existsSync(NGINX)) missing.push(`nginx (apt-get install nginx, or set SCHAKEL_BENCH_NGINX)`);
  if (!existsSync(OPA)) {
    missing.push(
      'opa (CGO_ENABLED=0 go install github.com/open-policy-agent/opa@v1.22.2, or set SCHAKEL_BENCH_OPA)',
    );
  }
  return missing;
}

/** The same Rego and catalogue the broker's bundle is built from (build.sh's selection), for `opa run`. */
function copyPolicies(into: string): void {
  const skip = new Set(['scenarios.json', 'schema', 'bundle', 'tools']);
  cpSync(POLICIES_DIR, into, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(POLICIES_DIR, src);
      const top = rel.split(path.sep)[0] ?? '';
      if (rel === '') return true;
      if (skip.has(top) || src.endsWith('_test.rego')) return false;
      return src.endsWith('.rego') || src.endsWith('.json') || !path.basename(src).includes('.');
    },
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

function nginxConf(o: {
  dir: string;
  pkiDir: string;
  port: number;
  shimPort: number;
  workers: number;
}): string {
  return `worker_processes ${o.workers};
pid ${o.dir}/nginx.pid;
error_log ${o.dir}/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log ${o.dir}/nginx-access.log combined buffer=64k flush=1s;
  client_body_temp_path ${o.dir}/body;
  proxy_temp_path ${o.dir}/proxy;
  fastcgi_temp_path ${o.dir}/fastcgi;
  uwsgi_temp_path ${o.dir}/uwsgi;
  scgi_temp_path ${o.dir}/scgi;
  upstream shim { server 127.0.0.1:${o.shimPort}; keepalive 128; }
  server {
    listen 127.0.0.1:${o.port} ssl;
    ssl_certificate ${o.pkiDir}/server/cert.pem;
    ssl_certificate_key ${o.pkiDir}/server/key.pem;
    ssl_client_certificate ${o.pkiDir}/ca.pem;
    ssl_verify_client on;
    ssl_verify_depth 3;
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    location = /v1/requests {
      auth_request /_authz;
      auth_request_set $decisions $upstream_http_x_decisions;
      proxy_set_header X-Decisions $decisions;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass http://shim/upstream;
    }
    location = /_authz {
      internal;
      proxy_pass http://shim/authz;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
      proxy_set_header X-Client-Verify $ssl_client_verify;
      proxy_set_header X-Client-Fingerprint $ssl_client_fingerprint;
    }
  }
}
`;
}

/** Starts OPA, the shim and nginx; resolves when nginx accepts connections. */
export async function startAltStack(o: AltStackOptions): Promise<AltStack> {
  const dir = path.join(o.workDir, 'alt-stack');
  mkdirSync(dir, { recursive: true });
  const started: Child[] = [];
  try {
    const policies = path.join(dir, 'policies');
    copyPolicies(policies);
    const opaPort = await freePort();
    const opa = await startBinary(
      OPA,
      ['run', '--server', '--addr', `127.0.0.1:${opaPort}`, '--log-level', 'error', policies],
      path.join(dir, 'opa.log'),
      async () => (await fetch(`http://127.0.0.1:${opaPort}/health`)).ok,
    );
    started.push(opa);

    const catalogue = JSON.parse(readFileSync(path.join(POLICIES_DIR, 'catalogue/data.json'), 'utf8')) as {
      categories: Record<string, { holder_kind: string }>;
    };
    const partners: Record<string, unknown> = {};
    for (const p of o.partners) {
      const pem = readFileSync(path.join(o.pkiDir, 'partners', p.id, 'cert.pem'), 'utf8');
      const cert = new X509Certificate(pem);
      partners[createHash('sha1').update(cert.raw).digest('hex')] = {
        ...p,
        x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
        jwks: JSON.parse(
          readFileSync(path.join(o.pkiDir, 'partners', p.id, 'token-jwks.json'), 'utf8'),
        ) as JSONWebKeySet,
      };
    }
    const fixtureFile = path.join(dir, 'shim-fixture.json');
    writeFileSync(
      fixtureFile,
      JSON.stringify({
        opaUrl: `http://127.0.0.1:${opaPort}`,
        subjectPseudonym: o.subjectPseudonym,
        partners,
        holders: Object.fromEntries(o.partners.map((p) => [p.kind, p.id])),
        categories: Object.fromEntries(
          Object.entries(catalogue.categories).map(([name, c]) => [name, c.holder_kind]),
        ),
        cases: o.cases,
      }),
    );
    const shim = await startNodeServer(
      path.join(import.meta.dirname, 'opa-shim.ts'),
      [fixtureFile],
      path.join(dir, 'shim.log'),
    );
    started.push(shim);

    const port = await freePort();
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      nginxConf({
        dir,
        pkiDir: o.pkiDir,
        port,
        shimPort: shim.port,
        workers: o.nginxWorkers ?? os.cpus().length,
      }),
    );
    const nginx = await startBinary(
      NGINX,
      ['-p', dir, '-c', conf, '-g', 'daemon off;'],
      path.join(dir, 'nginx.log'),
      () => accepts(port),
    );
    started.push(nginx);
    return {
      port,
      pids: { nginx: nginx.pid, shim: shim.pid, opa: opa.pid },
      async stop() {
        for (const child of started.reverse()) await child.stop();
      },
    };
  } catch (error) {
    for (const child of started.reverse()) await child.stop();
    throw error;
  }
}

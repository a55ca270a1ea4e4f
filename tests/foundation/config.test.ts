// Configuration: defaults, and one message naming every bad setting.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../broker/config/config.ts';
import { ConfigError } from '../../broker/errors.ts';
import { scratchDir } from '../support/databases.ts';

const cwd = '/srv/schakel';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ env, cwd });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to embedded PGlite under ./var, the dev PKI and demo data', () => {
    const config = loadConfig({ env: {}, cwd });
    expect(config.database).toEqual({ kind: 'pglite', dir: '/srv/schakel/var/db' });
    expect(config.pki.dir).toBe('/srv/schakel/var/pki');
    expect(config.http.port).toBe(8443);
    expect(config.ops.port).toBe(9464);
    expect(config.demo).toBe(true);
  });

  it('uses PostgreSQL when SCHAKEL_DATABASE_URL is set, without demo data by default', () => {
    const config = loadConfig({ env: { SCHAKEL_DATABASE_URL: 'postgres://u@db:5432/schakel' }, cwd });
    expect(config.database.kind).toBe('postgres');
    expect(config.demo).toBe(false);
  });

  it('names every bad setting in one error', () => {
    const problems = problemsOf({
      SCHAKEL_PORT: 'eighty',
      SCHAKEL_LOG_LEVEL: 'loud',
      SCHAKEL_DATABASE_URL: 'mysql://x',
      SCHAKEL_COLOUR: 'blue',
    });
    expect(problems.join('\n')).toMatch(/SCHAKEL_PORT/);
    expect(problems.join('\n')).toMatch(/SCHAKEL_LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/SCHAKEL_DATABASE_URL: must be a postgres/);
    expect(problems.join('\n')).toMatch(/SCHAKEL_COLOUR: unknown setting/);
    expect(problems).toHaveLength(4);
  });

  it('refuses an unreadable key file, naming the setting and the file', () => {
    const problems = problemsOf({
      SCHAKEL_TLS_CERT_FILE: '/nonexistent/cert.pem',
      SCHAKEL_TLS_KEY_FILE: '/nonexistent/key.pem',
      SCHAKEL_TLS_CA_FILE: '/nonexistent/ca.pem',
    });
    expect(problems).toEqual([
      'SCHAKEL_TLS_CERT_FILE: cannot read /nonexistent/cert.pem: ENOENT',
      'SCHAKEL_TLS_KEY_FILE: cannot read /nonexistent/key.pem: ENOENT',
      'SCHAKEL_TLS_CA_FILE: cannot read /nonexistent/ca.pem: ENOENT',
    ]);
  });

  it('reads a JSON config file, with the environment taking precedence', () => {
    const dir = scratchDir('config');
    const file = path.join(dir, 'schakel.json');
    writeFileSync(file, JSON.stringify({ PORT: 9443, OPS_PORT: 9999 }));
    const config = loadConfig({ env: { SCHAKEL_CONFIG_FILE: file, SCHAKEL_OPS_PORT: '7000' }, cwd });
    expect(config.http.port).toBe(9443);
    expect(config.ops.port).toBe(7000);
  });

  it('refuses a config file that is not a JSON object', () => {
    const dir = scratchDir('config');
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '[1,2');
    expect(problemsOf({ SCHAKEL_CONFIG_FILE: file })[0]).toMatch(/SCHAKEL_CONFIG_FILE: cannot read/);
  });
});

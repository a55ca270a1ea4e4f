// The committed bundle is the one policies/ builds: pinned by revision, and rebuilt with opa when present.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../broker/policy/bundle.ts';
import { sourceRevision } from '../../broker/policy/revision.ts';
import { INSTALL_OPA, POLICIES, committedBundle, findOpa, opaRequired, runOpa } from './support.ts';

const opa = findOpa();
const dir = mkdtempSync(path.join(tmpdir(), 'schakel-pin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REBUILD = 'run policies/build.sh (or npx schakel policy build) and commit policies/bundle/bundle.tgz';

describe('the committed bundle (no opa needed)', () => {
  it('carries the revision of the current policy sources and catalogue', async () => {
    const bundle = await readBundle(committedBundle(), 'committed');
    expect(bundle.revision, `the bundle is stale: ${REBUILD}`).toBe(sourceRevision(POLICIES));
  });

  it('holds exactly the catalogue of policies/catalogue/data.json', async () => {
    const bundle = await readBundle(committedBundle(), 'committed');
    const catalogue: unknown = JSON.parse(
      readFileSync(path.join(POLICIES, 'catalogue', 'data.json'), 'utf8'),
    );
    expect(bundle.data, `the bundle is stale: ${REBUILD}`).toEqual({ catalogue });
  });
});

describe('rebuilding the bundle with opa', () => {
  if (opa === undefined) {
    it.skipIf(!opaRequired())(`needs opa (${INSTALL_OPA})`, () => {
      throw new Error(`opa is required on CI: ${INSTALL_OPA}`);
    });
    if (!opaRequired()) console.warn(`skipping the bundle rebuild and coverage tests: ${INSTALL_OPA}`);
    return;
  }

  it('gives the committed revision, policy.wasm and data.json', async () => {
    const out = path.join(dir, 'rebuilt.tgz');
    execFileSync('bash', [path.join(POLICIES, 'build.sh'), out], {
      env: { ...process.env, OPA: opa },
      encoding: 'utf8',
      stdio: 'pipe',
    });
    const [rebuilt, committed] = await Promise.all([
      readBundle(readFileSync(out), 'committed'),
      readBundle(committedBundle(), 'committed'),
    ]);
    expect(rebuilt.revision).toBe(committed.revision);
    for (const name of ['policy.wasm', 'data.json']) {
      const file = (b: typeof rebuilt) => b.files.find((f) => f.name === name)?.content;
      expect(file(rebuilt)?.equals(file(committed)!), `${name} is stale: ${REBUILD}`).toBe(true);
    }
  });

  it('passes opa test with at least 95% coverage', () => {
    const report = JSON.parse(runOpa(opa, ['test', '--coverage', '--format', 'json', '.'])) as {
      coverage: number;
    };
    expect(report.coverage).toBeGreaterThanOrEqual(95);
  });
});

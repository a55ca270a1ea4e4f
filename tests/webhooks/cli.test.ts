// `schakel partners update --review-webhook` as an operator runs it, on a scratch embedded database.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../broker/store/database.ts';
import { scratchDir } from '../support/databases.ts';
import { runSchakel } from '../support/processes.ts';

describe('schakel partners update --review-webhook', () => {
  const cwd = scratchDir('webhook-cli');
  const env = { SCHAKEL_LOG_LEVEL: 'silent' };

  it('registers, refuses a plain http URL with exit 2, and removes a review webhook', async () => {
    const added = await runSchakel(
      ['partners', 'add', '--id', 'ggz-oost', '--kind', 'ggz', '--ura', '90000017'],
      {
        cwd,
        env,
      },
    );
    expect(added.code).toBe(0);
    const set = await runSchakel(
      [
        'partners',
        'update',
        '--id',
        'ggz-oost',
        '--review-webhook',
        'https://ggz-oost.example/schakel/reviews',
      ],
      { cwd, env },
    );
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('review webhook of ggz-oost: https://ggz-oost.example/schakel/reviews');
    const plain = await runSchakel(
      ['partners', 'update', '--id', 'ggz-oost', '--review-webhook', 'http://ggz-oost.example/hook'],
      { cwd, env },
    );
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('https');
    const removed = await runSchakel(['partners', 'update', '--id', 'ggz-oost', '--no-review-webhook'], {
      cwd,
      env,
    });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('removed the review webhook of ggz-oost');
    // Both changes are in the disclosure log, which still verifies.
    const store = await openStore({ kind: 'pglite', dir: path.join(cwd, 'var/db') });
    try {
      const changes = await store.db
        .selectFrom('audit_entries')
        .select('body')
        .where('type', '=', 'partner.review_webhook_changed')
        .orderBy('seq')
        .execute();
      expect(
        changes.map((c) => (JSON.parse(c.body) as { details: { url: string | null } }).details.url),
      ).toEqual(['https://ggz-oost.example/schakel/reviews', null]);
    } finally {
      await store.close();
    }
    const verify = await runSchakel(['audit', 'verify'], { cwd, env });
    expect(verify.code).toBe(0);
  }, 120_000);

  it('makes no change the disclosure log cannot record, and logs a URL without its query', async () => {
    const dir = scratchDir('webhook-cli-log');
    const run = (args: string[], extra: Record<string, string> = {}) =>
      runSchakel(args, { cwd: dir, env: { ...env, ...extra } });
    expect(
      (await run(['partners', 'add', '--id', 'ggz-west', '--kind', 'ggz', '--ura', '90000025'])).code,
    ).toBe(0);
    // The log's signing keys cannot be read: the log cannot record the change, so it is not made.
    const broken = path.join(dir, 'broken-audit-keys.json');
    writeFileSync(broken, 'not a keyring');
    const refused = await run(
      ['partners', 'update', '--id', 'ggz-west', '--review-webhook', 'https://ggz-west.example/hooks'],
      { SCHAKEL_AUDIT_SIGNING_KEYS_FILE: broken },
    );
    expect(refused.code).not.toBe(0);
    const readBack = async () => {
      const store = await openStore({ kind: 'pglite', dir: path.join(dir, 'var/db') });
      try {
        return {
          hooks: await store.db.selectFrom('review_webhooks').select(['partner_id', 'url']).execute(),
          changes: (
            await store.db
              .selectFrom('audit_entries')
              .select('body')
              .where('type', '=', 'partner.review_webhook_changed')
              .orderBy('seq')
              .execute()
          ).map((c) => (JSON.parse(c.body) as { details: Record<string, unknown> }).details),
        };
      } finally {
        await store.close();
      }
    };
    expect(await readBack()).toEqual({ hooks: [], changes: [] });
    // A query may carry the receiver's token: the hook keeps it, the permanent log does not.
    const set = await run([
      'partners',
      'update',
      '--id',
      'ggz-west',
      '--review-webhook',
      'https://ggz-west.example/hooks/reviews?token=s3cret-t0ken',
    ]);
    expect(set.code).toBe(0);
    const after = await readBack();
    expect(after.hooks).toEqual([
      { partner_id: 'ggz-west', url: 'https://ggz-west.example/hooks/reviews?token=s3cret-t0ken' },
    ]);
    expect(after.changes).toHaveLength(1);
    expect(after.changes[0]).toMatchObject({
      partnerId: 'ggz-west',
      url: 'https://ggz-west.example/hooks/reviews',
    });
    expect(JSON.stringify(after.changes)).not.toContain('s3cret-t0ken');
    expect((await run(['audit', 'verify'])).code).toBe(0);
  }, 120_000);
});

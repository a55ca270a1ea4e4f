// `schakel partners update --review-webhook` as an operator runs it, on a scratch embedded database.
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
});

// `schakel retention purge [--dry-run] [--json]`: delete what is past its retention period; the disclosure log stays.
import { parseArgs } from 'node:util';
import { createRuntimeLogger, loadRuntimeConfig, openAuditAppender, openConfiguredStore } from '../main.ts';
import { purgeExpired, type RetentionReport } from '../retention/index.ts';
import { migrate } from '../store/database.ts';
import { EXIT_OK, type Command } from './command.ts';

function printReport(report: RetentionReport): void {
  const p = report.periods;
  const c = report.counts;
  console.log(`${report.dryRun ? 'would delete (dry run, nothing deleted)' : 'deleted'} as of ${report.at}:`);
  const rows: [string, number, string][] = [
    ['closed cases', c.cases, `closed over ${p.caseDays} days ago`],
    ['  their members', c.caseMembers, ''],
    ['  their events', c.caseEvents, ''],
    ['  their requests', c.requests, ''],
    ['  their request items', c.requestItems, ''],
    ['  their break-glass reviews', c.breakglassReviews, ''],
    ['reviews', c.reviews, `decided or cancelled over ${p.reviewDays} days ago (and those of the cases)`],
    [
      'review webhook notices',
      c.webhookDeliveries,
      `of those reviews, or finished over ${p.reviewDays} days ago`,
    ],
    ['consents', c.consents, `withdrawn or expired over ${p.consentDays} days ago`],
    ['policy decision inputs', c.policyInputs, `older than ${p.policyInputDays} days`],
  ];
  for (const [what, count, why] of rows)
    console.log(`${what.padEnd(30)} ${String(count).padStart(8)}  ${why}`);
  if (report.logSeq !== undefined) console.log(`summary logged as disclosure log entry ${report.logSeq}`);
}

export const retentionPurgeCommand: Command = {
  path: ['retention', 'purge'],
  summary: 'delete cases, consents, reviews and policy inputs past their retention period',
  help: `Usage: schakel retention purge [--dry-run] [--json]

Deletes, in one transaction, what is past its retention period:
  closed cases (SCHAKEL_RETENTION_CASE_DAYS after closure, default 1826) with their members, events,
    requests, items, reviews and break-glass reviews;
  consents (SCHAKEL_RETENTION_CONSENT_DAYS after withdrawal or expiry, default 365);
  decided or cancelled reviews and their webhook notices (SCHAKEL_RETENTION_REVIEW_DAYS, default 365);
  retained policy decision inputs (SCHAKEL_POLICY_INPUT_RETENTION_DAYS, default 90).
Prints the counts and writes one summary entry (retention.purged: periods and counts) to the
disclosure log. The disclosure log itself is never purged here: it has its own retention
(SCHAKEL_AUDIT_RETENTION_DAYS) with signed tombstones.

--dry-run counts what would be deleted, deletes nothing and logs nothing.
--json prints the report as JSON.

With the embedded database (no SCHAKEL_DATABASE_URL), stop \`schakel serve\` first: PGlite is
single-process.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
      strict: true,
    });
    const config = loadRuntimeConfig();
    const logger = createRuntimeLogger(config);
    const store = await openConfiguredStore(config);
    try {
      await migrate(store.db);
      const report = await purgeExpired(
        {
          db: store.db,
          audit: openAuditAppender(store, logger, config),
          logger,
          periods: {
            caseDays: config.retention.caseDays,
            consentDays: config.retention.consentDays,
            reviewDays: config.retention.reviewDays,
            policyInputDays: config.policy.inputRetentionDays,
          },
        },
        { dryRun: values['dry-run'] === true },
      );
      if (values.json === true) console.log(JSON.stringify(report, null, 2));
      else printReport(report);
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

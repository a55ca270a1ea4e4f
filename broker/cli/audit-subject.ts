// `schakel audit subject --bsn BSN`: a person's access overview (AVG art. 15), without confidential processing.
import { parseArgs } from 'node:util';
import { readPseudonymKeys } from '../audit/key-files.ts';
import { createPseudonymizer, isValidBsn } from '../audit/pseudonym.ts';
import { createAuditQueries } from '../audit/reader.ts';
import { UsageError } from '../errors.ts';
import { loadRuntimeConfig, openConfiguredStore } from '../main.ts';
import { EXIT_OK, type Command } from './command.ts';

export const auditSubjectCommand: Command = {
  path: ['audit', 'subject'],
  summary: "a person's access overview (AVG art. 15)",
  help: `Usage: schakel audit subject --bsn BSN [--format text|json]

For the privacy officer: lists which partner received which categories about this person, when,
for which purpose and on which legal basis. Confidential processing (requests touching the AIVD)
is left out (rule 4). The BSN is only used to compute its pseudonyms under every pseudonym key;
it is never printed or logged.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { bsn: { type: 'string' }, format: { type: 'string', default: 'text' } },
      strict: true,
    });
    if (values.bsn === undefined || !isValidBsn(values.bsn))
      throw new UsageError('--bsn takes a valid BSN (nine digits, elfproef)');
    if (values.format !== 'text' && values.format !== 'json')
      throw new UsageError('--format is text or json');
    const config = loadRuntimeConfig();
    const pseudonyms = createPseudonymizer(readPseudonymKeys(config.audit.pseudonymKeysFile));
    const store = await openConfiguredStore(config);
    try {
      const queries = createAuditQueries(store.db);
      const rows: {
        date: string;
        recipient: string;
        category: string;
        purpose: string;
        legalBasis: string;
        gdprBasis: string;
      }[] = [];
      let after: number | undefined;
      do {
        const page = await queries.listEntries(
          { role: 'privacy_officer' },
          {
            limit: 1000,
            // Every entry type that can record a disclosure (request items among them); the outcome decides.
            subjects: pseudonyms.candidates(values.bsn),
            ...(after === undefined ? {} : { after }),
          },
        );
        for (const { entry } of page.entries) {
          if (entry.outcome !== 'disclosed') continue;
          rows.push({
            date: entry.time,
            recipient: entry.actor?.partnerId ?? '?',
            category: entry.category ?? '?',
            purpose: entry.purpose ?? '?',
            legalBasis: entry.legalBasis?.ground ?? '-',
            gdprBasis: entry.legalBasis?.gdpr ?? '-',
          });
        }
        after = page.next;
      } while (after !== undefined);
      if (values.format === 'json') {
        console.log(JSON.stringify({ disclosures: rows }, null, 2));
      } else if (rows.length === 0) {
        console.log(
          'No disclosures about this person are on record (confidential processing is never listed).',
        );
      } else {
        console.log(['date', 'recipient', 'category', 'purpose', 'legal basis', 'GDPR basis'].join('\t'));
        for (const r of rows)
          console.log([r.date, r.recipient, r.category, r.purpose, r.legalBasis, r.gdprBasis].join('\t'));
      }
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

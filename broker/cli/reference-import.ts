// `schakel reference import`: load a holder's extract into the reference store, logged as an administrative event.
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ExtractError, readExtract } from '../../adapters/reference/extract.ts';
import { ensurePseudonymKeys } from '../audit/key-files.ts';
import { createPseudonymizer, isValidBsn } from '../audit/pseudonym.ts';
import { loadCatalogue } from '../catalogue.ts';
import { UsageError } from '../errors.ts';
import { createRuntimeLogger, loadRuntimeConfig, openAuditAppender, openConfiguredStore } from '../main.ts';
import { migrate } from '../store/database.ts';
import { createReferenceRecords } from '../store/reference-records.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, type Command } from './command.ts';

/** The largest extract file read (a pilot's extract, not a bulk copy of a register). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;

export const referenceImportCommand: Command = {
  path: ['reference', 'import'],
  summary: "load a holder's extract into the reference store",
  help: `Usage: schakel reference import --holder ID --file EXTRACT.json

Loads a partner's extract into the broker's own database, for holders whose source is
{"transport": "reference"} in SCHAKEL_ADAPTERS_FILE (pilots where partners deliver extracts).
The extract is a snapshot of the categories it lists: it replaces what the holder delivered before
in exactly those categories. Two formats (see adapters/README.md):

  {"format": "canonical", "categories": [...],
   "records": [{"bsn": "...", "category": "...", "record": {canonical fields}}]}
  {"format": "native", "categories": [...],
   "documents": [{"bsn": "...", "document": "om-zaken", "content": {the partner's own format}}]}

Every BSN must pass the elfproef, every category must be one the holder's kind holds, every field
one the catalogue defines; the first problem is named and nothing is imported (exit 1). BSNs are
stored only as keyed pseudonyms. The import is recorded in the audit log (reference.imported)
with the file's SHA-256 and the counts, never a BSN or a value.

With the embedded database (no SCHAKEL_DATABASE_URL), stop \`schakel serve\` first: PGlite is
single-process.`,
  async run(args) {
    const { values: v } = parseArgs({
      args: [...args],
      options: { holder: { type: 'string' }, file: { type: 'string' } },
      strict: true,
    });
    if (v.holder === undefined || v.file === undefined)
      throw new UsageError('--holder and --file are required');
    let text: string;
    try {
      if (statSync(v.file).size > MAX_FILE_BYTES) throw new UsageError(`${v.file} is larger than 256 MiB`);
      text = readFileSync(v.file, 'utf8');
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`cannot read ${v.file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      console.error(`schakel: ${v.file} is not JSON`);
      return EXIT_CHECK_FAILED;
    }
    const config = loadRuntimeConfig();
    const logger = createRuntimeLogger(config);
    const store = await openConfiguredStore(config);
    try {
      await migrate(store.db);
      const holder = await store.db
        .selectFrom('partners')
        .select(['id', 'kind'])
        .where('id', '=', v.holder)
        .executeTakeFirst();
      if (holder === undefined)
        throw new UsageError(`no partner ${v.holder}: register it with schakel partners add`);
      let extract: Awaited<ReturnType<typeof readExtract>>;
      try {
        extract = await readExtract(json, {
          holderKind: holder.kind,
          categories: loadCatalogue().categories,
          isValidBsn,
        });
      } catch (error) {
        if (!(error instanceof ExtractError)) throw error;
        console.error(`schakel: the extract is not imported: ${error.message}`);
        return EXIT_CHECK_FAILED;
      }
      const pseudonyms = createPseudonymizer(ensurePseudonymKeys(config.audit.pseudonymKeysFile).keys);
      const importId = randomUUID();
      const details = {
        importId,
        categories: extract.categories,
        records: extract.entries.length,
        fileSha256: createHash('sha256').update(text).digest('hex'),
      };
      const audit = openAuditAppender(store, logger, config);
      // NOTE: the log entry commits before the store changes: no import happens unrecorded.
      await audit.append({
        type: 'reference.imported',
        processingActivity: 'reference-administration',
        // An administrative event for the auditor (with `holder` set it would become the holder's entry).
        details: { holder: holder.id, ...details },
      });
      const result = await createReferenceRecords(store.db).replace(
        holder.id,
        importId,
        extract.categories,
        extract.entries.map((e) => ({
          category: e.category,
          subjectPseudonym: pseudonyms.pseudonym(e.bsn),
          record: e.record,
        })),
      );
      console.log(
        `imported ${result.stored} records for ${holder.id} (${extract.categories.join(', ')}); replaced ${result.removed}; import ${importId}`,
      );
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

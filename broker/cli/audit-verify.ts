// `schakel audit verify`: recompute the chain, Merkle roots and checkpoint signatures; compare with the witness.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readKeyringFile } from '../audit/key-files.ts';
import { publicJwks } from '../audit/keyring.ts';
import { readOutsideCheckpoint } from '../audit/outside.ts';
import { verifyLog, type OutsideCheckpoint } from '../audit/verify.ts';
import { UsageError } from '../errors.ts';
import { loadRuntimeConfig, openConfiguredStore } from '../main.ts';
import { EXIT_CHECK_FAILED, EXIT_OK, type Command } from './command.ts';

export const auditVerifyCommand: Command = {
  path: ['audit', 'verify'],
  summary: 'verify the disclosure log (chain, Merkle roots, signatures, witness)',
  help: `Usage: schakel audit verify [--from SEQ] [--checkpoint FILE]

Recomputes the hash chain and the Merkle root at every signed checkpoint, checks every checkpoint
signature against the audit signing keys (current and retired), and checks that the log contains
the newest checkpoint kept outside the database (SCHAKEL_AUDIT_WITNESS_FILE) and, with
--checkpoint, one you hold: a saved checkpoint or a receipt (JWS or the JSON of GET /v1/receipts/{id}).

  --from SEQ         start at SEQ (from the nearest signed checkpoint before it)
  --checkpoint FILE  also check against this outside checkpoint or receipt

Exit 0 when intact; 1 naming the first bad sequence number and what is wrong; 2 on usage errors.
Progress goes to stderr on long logs.`,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: { from: { type: 'string' }, checkpoint: { type: 'string' } },
      strict: true,
    });
    const fromSeq = values.from === undefined ? undefined : Number(values.from);
    if (fromSeq !== undefined && (!Number.isInteger(fromSeq) || fromSeq < 1)) {
      throw new UsageError('--from takes a sequence number (1 or more)');
    }
    const config = loadRuntimeConfig();
    if (!existsSync(config.audit.signingKeysFile)) {
      throw new UsageError(
        `no audit signing keys at ${config.audit.signingKeysFile}; set SCHAKEL_AUDIT_SIGNING_KEYS_FILE`,
      );
    }
    const jwks = publicJwks(readKeyringFile(config.audit.signingKeysFile));
    const outside: OutsideCheckpoint[] = [];
    const sources: [string, string][] = [];
    if (existsSync(config.audit.witnessFile)) sources.push([config.audit.witnessFile, 'witness checkpoint']);
    else
      console.error(
        `note: no witness file at ${config.audit.witnessFile}; a cut tail can only show through --checkpoint`,
      );
    if (values.checkpoint !== undefined)
      sources.push([values.checkpoint, `checkpoint in ${values.checkpoint}`]);
    for (const [file, source] of sources) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
      }
      const read = await readOutsideCheckpoint(text, jwks, source);
      if (!read.ok) {
        console.error(`audit log NOT verified: ${read.reason}`);
        return EXIT_CHECK_FAILED;
      }
      outside.push(read.checkpoint);
    }

    const store = await openConfiguredStore(config);
    try {
      const started = performance.now();
      const result = await verifyLog({
        db: store.db,
        jwks,
        outside,
        ...(fromSeq === undefined ? {} : { fromSeq }),
        // On PostgreSQL, worker threads read and check pages on their own connections.
        ...(config.database.kind === 'postgres' ? { postgresUrl: config.database.url } : {}),
        onProgress: (done, total) => process.stderr.write(`verified ${done} of ${total} entries\n`),
      });
      if (!result.ok) {
        console.error(`audit log NOT intact: seq ${result.seq}: ${result.problem}`);
        return EXIT_CHECK_FAILED;
      }
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `audit log intact: entries ${result.firstSeq}..${result.lastSeq}, ${result.checkpoints} signed checkpoints, ` +
          `${result.outsideChecked} outside checkpoint(s) matched (${seconds.toFixed(2)} s)`,
      );
      return EXIT_OK;
    } finally {
      await store.close();
    }
  },
};

// A separate broker-like process for the multi-process tests: appends records and reports each acknowledged seq with its transaction id.
// Usage: node writer-child.ts DATABASE_URL KEYRING_FILE COUNT CONCURRENCY TAG [MAX_BATCH] [gated]   (COUNT 0 = until killed)
// With `gated` it opens its connections, prints `ready` and starts writing only when a line arrives on stdin.
// Prints `ack <seq> <transactionId>` per acknowledged record, `ahead <entries>` per batch committed from
// a chain made while the batch before it was written, and `done <failures>` at the end.
import { readFileSync } from 'node:fs';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { loadKeyring, type KeyringFile } from '../../broker/audit/keyring.ts';
import { openStore } from '../../broker/store/database.ts';
import { aheadProbe, sampleRecord } from './support.ts';

const [url, keyringFile, countArg, concurrencyArg, tag, maxBatchArg, gate] = process.argv.slice(2);
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const maxBatch = Number(maxBatchArg ?? 500);
const store = await openStore({ kind: 'postgres', url: url!, poolSize: 4 });
const keyring = await loadKeyring(JSON.parse(readFileSync(keyringFile!, 'utf8')) as KeyringFile);

const out: string[] = [];
let scheduled = false;
const flush = () => {
  scheduled = false;
  if (out.length > 0) process.stdout.write(out.splice(0).join(''));
};
// NOTE: a record counts as acknowledged only once its line is written, as a response would be; the
// lines of one batch go out together right after its callers ran, so the parent sees them at once.
const report = (line: string) => {
  out.push(line);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
};

const probe = aheadProbe((entries) => report(`ahead ${entries}\n`));
const log = createAuditLog({
  db: store.db,
  keyring,
  maxBatch,
  now: probe.now,
  onCommit: probe.onCommit,
});

if (gate === 'gated') {
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.destroy();
}

let issued = 0;
let failures = 0;

async function worker(): Promise<void> {
  while (count === 0 || issued < count) {
    const i = issued++;
    const transactionId = `${tag}-${i}`;
    try {
      const entry = await log.append(sampleRecord(i, { transactionId }));
      report(`ack ${entry.seq} ${transactionId}\n`);
    } catch {
      failures += 1;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, () => worker()));
flush();
process.stdout.write(`done ${failures}\n`);
await log.close();
await store.close();

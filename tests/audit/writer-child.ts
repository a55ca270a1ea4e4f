// A separate broker-like process for the multi-process tests: appends records and reports each acknowledged seq.
// Usage: node writer-child.ts DATABASE_URL KEYRING_FILE COUNT CONCURRENCY TAG   (COUNT 0 = until killed)
import { readFileSync } from 'node:fs';
import { createAuditLog } from '../../broker/audit/appender.ts';
import { loadKeyring, type KeyringFile } from '../../broker/audit/keyring.ts';
import { openStore } from '../../broker/store/database.ts';
import { sampleRecord } from './support.ts';

const [url, keyringFile, countArg, concurrencyArg, tag] = process.argv.slice(2);
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const store = await openStore({ kind: 'postgres', url: url!, poolSize: 4 });
const keyring = await loadKeyring(JSON.parse(readFileSync(keyringFile!, 'utf8')) as KeyringFile);
const log = createAuditLog({ db: store.db, keyring, maxBatch: 500 });

let issued = 0;
let failures = 0;
const out: string[] = [];
const flush = () => {
  if (out.length > 0) process.stdout.write(out.splice(0).join(''));
};
const timer = setInterval(flush, 5);

async function worker(): Promise<void> {
  while (count === 0 || issued < count) {
    const i = issued++;
    try {
      const entry = await log.append(sampleRecord(i, { transactionId: `${tag}-${i}` }));
      // NOTE: an entry counts as acknowledged only once this line is written, as a response would be.
      out.push(`ack ${entry.seq}\n`);
    } catch {
      failures += 1;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, () => worker()));
clearInterval(timer);
flush();
process.stdout.write(`done ${failures}\n`);
await log.close();
await store.close();

// Information requests as load against a running broker: every receipt a client received, checked later against the log.
import { decodeJwt } from 'jose';
import { sql, type Kysely } from 'kysely';
import { saltedPayloadHash } from '../../broker/audit/payload-hash.ts';
import type { Database } from '../../broker/store/schema.ts';
import { openIncludedCase } from '../e2e/open-case.ts';
import type { PartnerClients } from '../e2e/partner-client.ts';

export const LOAD_BSN = '111222333';

/** What one client received with a 200: the disclosed items and the receipt items covering them. */
export interface Received {
  readonly requestId: string;
  readonly items: readonly { seq: number; payloadHash: string; category: string; holder: string }[];
}

export interface RequestLoad {
  /** Every response that carried disclosed data. */
  readonly received: Received[];
  /** Response statuses, and `failed` for requests that got no response (connection reset, refused). */
  readonly statuses: Map<number | 'failed', number>;
  /** Answers other than 200 by status and problem code (`503 ERR_AUDIT_UNAVAILABLE`). */
  readonly problems: Map<string, number>;
  /** Broken rules seen by the clients (data without a receipt, a hash that does not match, data in an error). */
  readonly violations: string[];
  stop(): Promise<void>;
}

/** Opens a case in phase informatie as the national team, for the load's requests. */
export function openLoadCase(clients: PartnerClients): Promise<string> {
  return openIncludedCase(clients.as('demo-politie', 'casusregisseur'), LOAD_BSN);
}

/**
 * Starts `concurrency` clients that keep asking for two non-medical categories in `caseId` until
 * stopped. Each 200 must carry a receipt whose salted hashes match exactly the data received.
 */
export function startRequestLoad(clients: PartnerClients, caseId: string, concurrency: number): RequestLoad {
  const load: RequestLoad & { running: boolean } = {
    running: true,
    received: [],
    statuses: new Map(),
    problems: new Map(),
    violations: [],
    async stop() {
      load.running = false;
      await Promise.all(workers);
    },
  };
  const count = (status: number | 'failed') =>
    load.statuses.set(status, (load.statuses.get(status) ?? 0) + 1);
  const worker = async () => {
    const analist = clients.as('demo-politie', 'casusregisseur');
    while (load.running) {
      let answer;
      try {
        answer = await analist.post('/v1/requests', {
          caseId,
          subject: { bsn: LOAD_BSN },
          purpose: 'risicotaxatie',
          categories: ['politie.registraties', 'om.strafzaken'],
        });
      } catch {
        count('failed');
        // The broker is gone (killed, or restarting): do not spin.
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      count(answer.status);
      const items = (answer.body.items ?? []) as {
        category: string;
        holder: string;
        outcome: string;
        data?: unknown;
      }[];
      const disclosed = items.filter((i) => i.data !== undefined);
      if (answer.status !== 200) {
        const problem = `${answer.status} ${String(answer.body.code)}`;
        load.problems.set(problem, (load.problems.get(problem) ?? 0) + 1);
        if (disclosed.length > 0 || answer.raw.includes('bedreiging')) {
          load.violations.push(`status ${answer.status} carried data: ${answer.raw}`);
        }
        continue;
      }
      if (disclosed.length === 0) continue;
      if (typeof answer.body.receipt !== 'string') {
        load.violations.push(`data without a receipt: ${answer.raw}`);
        continue;
      }
      const claims = decodeJwt(answer.body.receipt) as unknown as {
        items: { seq: number; payloadHash: string; nonce: string; category: string; holder: string }[];
      };
      for (const item of disclosed) {
        const covered = claims.items.find((c) => c.category === item.category && c.holder === item.holder);
        if (
          covered === undefined ||
          saltedPayloadHash(item.data, covered.nonce).hash !== covered.payloadHash
        ) {
          load.violations.push(`receipt does not cover what was received: ${answer.raw}`);
        }
      }
      load.received.push({ requestId: answer.body.id as string, items: claims.items });
    }
  };
  const workers = Array.from({ length: concurrency }, () => worker());
  return load;
}

/**
 * The received items whose log entry is missing, or does not say this disclosure (request, outcome,
 * salted payload hash, category, holder). Empty when every disclosure a client received is committed.
 */
export async function uncommitted(db: Kysely<Database>, received: readonly Received[]): Promise<string[]> {
  const rows = (
    await sql<{ seq: string | number; body: string }>`
      select seq, body from audit_entries where type = 'request.item'`.execute(db)
  ).rows;
  const bySeq = new Map(
    rows.map((r) => [
      Number(r.seq),
      (typeof r.body === 'string' ? JSON.parse(r.body) : r.body) as {
        requestId?: string;
        outcome?: string;
        payloadHash?: string;
        category?: string;
        holder?: string;
      },
    ]),
  );
  const missing: string[] = [];
  for (const r of received) {
    for (const item of r.items) {
      const entry = bySeq.get(item.seq);
      if (
        entry?.requestId !== r.requestId ||
        entry.outcome !== 'disclosed' ||
        entry.payloadHash !== item.payloadHash ||
        entry.category !== item.category ||
        entry.holder !== item.holder
      ) {
        missing.push(`${r.requestId} seq ${item.seq}`);
      }
    }
  }
  return missing;
}

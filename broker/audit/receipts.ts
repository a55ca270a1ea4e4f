// Receipts: one JWS per disclosing response covering its items, stored so it can be fetched again.
import { sql, type Insertable, type Kysely } from 'kysely';
import { newRowId } from '../store/row-id.ts';
import type { AuditReceiptsTable, Database } from '../store/schema.ts';
import { canonicalJson } from './canonical.ts';
import type { CoveringCheckpoint } from './contract.ts';
import { AuditUnavailableError } from './errors.ts';
import type { Keyring } from './keyring.ts';

export const RECEIPT_TYP = 'schakel-receipt+jws';

/** One disclosed item as the receipt states it. The nonce lets the requester recompute the salted hash. */
export interface ReceiptItem {
  readonly seq: number;
  readonly category?: string;
  readonly holder?: string;
  readonly payloadHash: string;
  readonly nonce: string;
}

/** Rule 8: what the requester may do with what it received. */
export interface OnwardUseConditions {
  readonly onwardSharing: 'forbidden' | 'within_case';
  readonly retainUntil?: string;
  readonly note?: string;
}

export interface ReceiptInput {
  readonly requestId: string;
  /** The requesting partner id; only it (and the auditor) may fetch the receipt again. */
  readonly requester: string;
  readonly items: readonly ReceiptItem[];
  readonly policyRevision?: string;
  readonly conditions: OnwardUseConditions;
  /**
   * The checkpoint committed with the item of the highest seq (CommittedEntry.checkpoint): the
   * smallest covering them all. Without it (or if it does not cover them) it is read from the log.
   */
  readonly checkpoint?: CoveringCheckpoint | undefined;
}

export interface SignedReceipt {
  readonly id: string;
  readonly jws: string;
}

/** A signed receipt and the row that stores it, for a caller that stores it with its own writes. */
export interface PreparedReceipt extends SignedReceipt {
  readonly row: Insertable<AuditReceiptsTable>;
}

/** Signs and stores receipts; reads them back. */
export interface ReceiptService {
  /**
   * Signs a receipt covering the items, naming the checkpoint that covers them, and stores it.
   * Call only after the items' entries are committed.
   *
   * @throws AuditUnavailableError (ERR_AUDIT_UNAVAILABLE) when it cannot be stored: do not disclose.
   */
  signReceipt(input: ReceiptInput): Promise<SignedReceipt>;
  /**
   * Signs a receipt as signReceipt does but leaves storing it to the caller, who must store `row`
   * (in the statement or transaction that stores what it discloses) before anything is released.
   *
   * @throws AuditUnavailableError (ERR_AUDIT_UNAVAILABLE) when it cannot be signed: do not disclose.
   */
  prepareReceipt(input: ReceiptInput): Promise<PreparedReceipt>;
  /** The stored receipt, or undefined. */
  getReceipt(id: string): Promise<{ id: string; requester: string; jws: string } | undefined>;
}

/** @example const receipts = createReceiptService({ db: store.db, keyring }); */
export function createReceiptService(deps: {
  db: Kysely<Database>;
  keyring: Keyring;
  now?: () => Date;
}): ReceiptService {
  const now = deps.now ?? (() => new Date());
  /** The smallest checkpoint covering `seq`: the one the caller holds, or from the log. */
  async function covering(given: CoveringCheckpoint | undefined, seq: number): Promise<CoveringCheckpoint> {
    if (given !== undefined && given.treeSize >= seq) return given;
    const row = (
      await sql<{ tree_size: number; root_hash: string; jws: string }>`
        select tree_size, root_hash, jws from audit_checkpoints where tree_size >= ${seq}
        order by tree_size limit 1`.execute(deps.db)
    ).rows[0];
    if (row === undefined) throw new Error(`no checkpoint covers seq ${seq}`);
    return { treeSize: Number(row.tree_size), rootHash: row.root_hash, jws: row.jws };
  }
  async function prepare(input: ReceiptInput): Promise<PreparedReceipt> {
    try {
      const maxSeq = Math.max(...input.items.map((i) => i.seq));
      const checkpoint = await covering(input.checkpoint, maxSeq);
      const id = newRowId();
      const payload = {
        iss: 'schakel',
        jti: id,
        iat: Math.floor(now().getTime() / 1000),
        requestId: input.requestId,
        requester: input.requester,
        items: input.items,
        ...(input.policyRevision === undefined ? {} : { policyRevision: input.policyRevision }),
        checkpoint: { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, jws: checkpoint.jws },
        conditions: input.conditions,
      };
      const jws = deps.keyring.signJws(RECEIPT_TYP, canonicalJson(payload));
      return {
        id,
        jws,
        row: { id, request_id: input.requestId, requester: input.requester, max_seq: maxSeq, jws },
      };
    } catch (error) {
      throw new AuditUnavailableError('The receipt could not be signed; nothing was disclosed.', {
        cause: error,
      });
    }
  }
  return {
    prepareReceipt: prepare,
    async signReceipt(input) {
      const { id, jws, row } = await prepare(input);
      try {
        await deps.db.insertInto('audit_receipts').values(row).execute();
      } catch (error) {
        throw new AuditUnavailableError(
          'The receipt could not be signed and stored; nothing was disclosed.',
          { cause: error },
        );
      }
      return { id, jws };
    },
    async getReceipt(id) {
      const row = (
        await sql<{ id: string; requester: string; jws: string }>`
          select id, requester, jws from audit_receipts where id = ${id}`.execute(deps.db)
      ).rows[0];
      return row;
    },
  };
}

// Write-before-release: the request flow commits log entries (and a receipt) before any response is written.
import type { AuditAppender, AuditRecord, CommittedEntry } from './contract.ts';
import { AuditUnavailableError } from './errors.ts';
import { saltedPayloadHash } from './payload-hash.ts';
import type { OnwardUseConditions, ReceiptService, SignedReceipt } from './receipts.ts';

/**
 * Commits every record and resolves only when all are committed. Use it for decisions (permit,
 * deny and error alike) and any other event that must be on record before the caller is answered.
 *
 * @throws AuditUnavailableError (ERR_AUDIT_UNAVAILABLE) when any record could not be committed:
 *   the caller must then answer 503 and disclose nothing.
 * @example await commitBeforeRelease(log, [decisionRecord]); return c.json(result);
 */
export async function commitBeforeRelease(
  log: AuditAppender,
  records: readonly AuditRecord[],
): Promise<CommittedEntry[]> {
  const settled = await Promise.allSettled(records.map((r) => log.append(r)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) {
    const reason: unknown = failed.reason;
    throw reason instanceof AuditUnavailableError
      ? reason
      : new AuditUnavailableError(undefined, { cause: reason });
  }
  return settled.map((s) => (s as PromiseFulfilledResult<CommittedEntry>).value);
}

/** The entry with the highest seq. */
function newest(entries: readonly CommittedEntry[]): CommittedEntry | undefined {
  return entries.reduce<CommittedEntry | undefined>(
    (a, b) => (a === undefined || b.seq > a.seq ? b : a),
    undefined,
  );
}

/** One item about to be disclosed: its log record (without payloadHash) and exactly what will be sent. */
export interface DisclosureItem {
  readonly record: AuditRecord;
  readonly payload: unknown;
}

/** What the response may carry once the disclosures are on record. */
export interface CommittedDisclosure {
  readonly entries: readonly CommittedEntry[];
  readonly receipt: SignedReceipt;
}

/**
 * Logs a response's disclosures with salted hashes of exactly what is sent, waits for the commit,
 * then signs one receipt covering them all. Send the payloads only after this resolves, and send
 * them unchanged (the hashes cover them).
 *
 * @throws AuditUnavailableError (ERR_AUDIT_UNAVAILABLE): answer 503, disclose nothing.
 */
export async function commitDisclosures(
  deps: { readonly log: AuditAppender; readonly receipts: ReceiptService },
  request: {
    readonly requestId: string;
    readonly requester: string;
    readonly policyRevision?: string;
    readonly conditions: OnwardUseConditions;
    readonly items: readonly DisclosureItem[];
  },
): Promise<CommittedDisclosure> {
  const salted = request.items.map((item) => saltedPayloadHash(item.payload));
  const entries = await commitBeforeRelease(
    deps.log,
    request.items.map((item, i) => ({ ...item.record, payloadHash: salted[i]!.hash })),
  );
  const receipt = await deps.receipts.signReceipt({
    requestId: request.requestId,
    requester: request.requester,
    ...(request.policyRevision === undefined ? {} : { policyRevision: request.policyRevision }),
    conditions: request.conditions,
    checkpoint: newest(entries)?.checkpoint,
    items: request.items.map((item, i) => ({
      seq: entries[i]!.seq,
      ...(item.record.category === undefined ? {} : { category: item.record.category }),
      ...(item.record.holder === undefined ? {} : { holder: item.record.holder }),
      payloadHash: salted[i]!.hash,
      nonce: salted[i]!.nonce,
    })),
  });
  return { entries, receipt };
}

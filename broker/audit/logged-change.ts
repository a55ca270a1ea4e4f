// A change made after its log entry committed: when it does not take effect, a void entry says so, so the log never claims a change that did not happen.
import type { AuditAppender, AuditRecord } from './contract.ts';

/**
 * Runs `change` (its log entry is committed already). When it throws, or `tookEffect` says it lost
 * (another process made it first), appends `voided` and throws: the change's own error, or
 * `lost()`. If even the void entry cannot be written, the change's error is still what the caller
 * gets (the log then over-reports this one change; it never under-reports).
 *
 * @example await changeAfterLog(audit, () => insertMember(), (r) => r !== undefined, voidEntry, () => new AlreadyMemberError());
 */
export async function changeAfterLog<T>(
  audit: AuditAppender,
  change: () => Promise<T>,
  tookEffect: (result: T) => boolean,
  voided: AuditRecord,
  lost: () => Error,
): Promise<T> {
  let result: T;
  try {
    result = await change();
  } catch (error) {
    await audit.append(voided).catch(() => undefined);
    throw error;
  }
  if (!tookEffect(result)) {
    await audit.append(voided);
    throw lost();
  }
  return result;
}

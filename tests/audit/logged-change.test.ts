// A change after its log entry: when it fails or loses, the log gets a void entry and the caller the error.
import { describe, expect, it } from 'vitest';
import { changeAfterLog } from '../../broker/audit/logged-change.ts';
import { ConflictError } from '../../broker/errors.ts';
import { createRecordingAppender } from '../support/recording-audit.ts';

const VOID = { type: 'review.decision_void', details: { reason: 'not stored' } };

/** A change whose database write fails with `error` after its log entry. */
const failedWrite = (audit: ReturnType<typeof createRecordingAppender>, error: Error) =>
  changeAfterLog(
    audit,
    () => Promise.reject(error),
    () => true,
    VOID,
    () => new ConflictError(),
  );

describe('a change made after its log entry', () => {
  it('logs nothing more when the change takes effect', async () => {
    const audit = createRecordingAppender();
    await expect(
      changeAfterLog(
        audit,
        () => Promise.resolve(1),
        (n) => n === 1,
        VOID,
        () => new ConflictError(),
      ),
    ).resolves.toBe(1);
    expect(audit.records).toEqual([]);
  });

  it('voids the entry and throws the refusal when another writer made the change first', async () => {
    const audit = createRecordingAppender();
    await expect(
      changeAfterLog(
        audit,
        () => Promise.resolve(0),
        (n) => n === 1,
        VOID,
        () => new ConflictError('meanwhile'),
      ),
    ).rejects.toMatchObject({ code: 'ERR_CONFLICT' });
    expect(audit.records.map((r) => r.type)).toEqual(['review.decision_void']);
  });

  it('voids the entry and throws the database error when the write fails', async () => {
    const audit = createRecordingAppender();
    const lost = new Error('connection terminated');
    await expect(failedWrite(audit, lost)).rejects.toBe(lost);
    expect(audit.records.map((r) => r.type)).toEqual(['review.decision_void']);
  });

  it('still throws the database error when even the void entry cannot be written', async () => {
    const audit = createRecordingAppender();
    audit.failing = true;
    const lost = new Error('connection terminated');
    await expect(failedWrite(audit, lost)).rejects.toBe(lost);
  });
});

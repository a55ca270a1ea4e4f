// A test appender that keeps records in memory and can be told to fail, like a log whose database is down.
import type { AuditAppender, AuditRecord, CommittedEntry } from '../../broker/audit/contract.ts';
import { SchakelError } from '../../broker/errors.ts';

class FakeAuditUnavailable extends SchakelError {
  readonly code = 'ERR_AUDIT_UNAVAILABLE';
  readonly status = 503;
  readonly title = 'Audit log unavailable';
}

export interface RecordingAppender extends AuditAppender {
  readonly records: AuditRecord[];
  failing: boolean;
}

export function createRecordingAppender(): RecordingAppender {
  const appender: RecordingAppender = {
    records: [],
    failing: false,
    append(record: AuditRecord): Promise<CommittedEntry> {
      if (appender.failing) return Promise.reject(new FakeAuditUnavailable('log down'));
      appender.records.push(record);
      return Promise.resolve({ seq: appender.records.length, hash: `h${appender.records.length}` });
    },
  };
  return appender;
}

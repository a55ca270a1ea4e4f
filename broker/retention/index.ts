// The door of broker/retention: purging what is past its retention period.
export {
  purgeExpired,
  type RetentionCounts,
  type RetentionDeps,
  type RetentionPeriods,
  type RetentionReport,
} from './purge.ts';

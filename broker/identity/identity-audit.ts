// The one place identity emits audit events: registry and certificate administration, and every refusal.
import type { Logger } from 'pino';
import type { AuditActor, AuditAppender, AuditRecord, CommittedEntry } from '../audit/contract.ts';

/** A refused caller, as the log records it (never a token, never a key). */
export interface Refusal {
  readonly code: string;
  readonly method: string;
  readonly path: string;
  readonly requestId?: string | undefined;
  readonly certSerial?: string | undefined;
  readonly certIssuer?: string | undefined;
  readonly partnerId?: string | undefined;
}

/** The identity room's audit events. Each resolves once the log committed the entry. */
export interface IdentityAudit {
  partnerAdded(partner: Readonly<Record<string, unknown>>, actor?: AuditActor): Promise<CommittedEntry>;
  partnerChanged(
    partnerId: string,
    changes: Readonly<Record<string, unknown>>,
    actor?: AuditActor,
  ): Promise<CommittedEntry>;
  personAdded(person: Readonly<Record<string, unknown>>, actor?: AuditActor): Promise<CommittedEntry>;
  certificateIssued(certificate: Readonly<Record<string, unknown>>): Promise<CommittedEntry>;
  certificateRevoked(certificate: Readonly<Record<string, unknown>>): Promise<CommittedEntry>;
  /** Records a refusal; a log failure is logged, not thrown (the caller is refused either way). */
  refused(refusal: Refusal): Promise<void>;
}

/**
 * Creates the identity audit over an appender (the disclosure log in production).
 *
 * @example const audit = createIdentityAudit(appender, logger); await audit.partnerAdded({ id: 'demo-ggz' });
 */
export function createIdentityAudit(appender: AuditAppender, logger: Logger): IdentityAudit {
  const emit = (type: string, details: Readonly<Record<string, unknown>>, actor?: AuditActor) => {
    const record: AuditRecord =
      actor === undefined
        ? { type, details, processingActivity: 'identity-administration' }
        : { type, details, actor, processingActivity: 'identity-administration' };
    return appender.append(record);
  };
  return {
    partnerAdded: (partner, actor) => emit('partner.added', partner, actor),
    partnerChanged: (partnerId, changes, actor) => emit('partner.changed', { partnerId, ...changes }, actor),
    personAdded: (person, actor) => emit('person.added', person, actor),
    certificateIssued: (certificate) => emit('certificate.issued', certificate),
    certificateRevoked: (certificate) => emit('certificate.revoked', certificate),
    async refused(refusal) {
      const actor: AuditActor = {
        ...(refusal.partnerId === undefined ? {} : { partnerId: refusal.partnerId }),
        ...(refusal.certSerial === undefined ? {} : { certSerial: refusal.certSerial }),
      };
      try {
        await appender.append({
          type: 'identity.refused',
          actor,
          processingActivity: 'identity-verification',
          ...(refusal.requestId === undefined ? {} : { transactionId: refusal.requestId }),
          details: {
            code: refusal.code,
            method: refusal.method,
            path: refusal.path,
            ...(refusal.certIssuer === undefined ? {} : { certIssuer: refusal.certIssuer }),
          },
        });
      } catch (error) {
        logger.error({ err: error, code: refusal.code }, 'could not record an identity refusal in the log');
      }
    },
  };
}

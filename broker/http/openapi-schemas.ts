// Response shapes of the partner API as zod schemas, for the OpenAPI document only (requests use the rooms' own schemas).
import { z } from 'zod';

/** RFC 9457 problem details as schakel sends them, with the stable `code`. */
export const problemSchema = z
  .object({
    type: z.string().describe('A URI naming the problem type.'),
    title: z.string().describe('A short, stable summary of the problem type.'),
    status: z.number().int().describe('The HTTP status code.'),
    code: z
      .string()
      .regex(/^ERR_[A-Z0-9_]+$/)
      .describe('The stable machine-readable condition (switch on this, not on the title).'),
    detail: z.string().optional().describe('What happened and what to do; never internals.'),
    instance: z.string().optional().describe('The path of the request.'),
    requestId: z.string().optional().describe('The X-Request-Id of the request.'),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('With ERR_VALIDATION: every offending field.'),
  })
  .meta({
    id: 'Problem',
    examples: [
      {
        type: 'https://schakel.example/problems/validation',
        title: 'Validation failed',
        status: 422,
        code: 'ERR_VALIDATION',
        detail: 'Invalid field(s): subject.bsn',
        instance: '/v1/cases',
        requestId: '7d0f8a4e-7c43-4d0e-9a51-2c1f0f4b7a10',
        errors: [{ field: 'subject.bsn', message: 'not a valid BSN (elfproef)' }],
      },
    ],
  });

const reason = z
  .object({ code: z.string(), nl: z.string(), en: z.string() })
  .meta({ id: 'Reason', description: 'Why: a stable code with Dutch and English text.' });

const partner = z.object({
  id: z.string(),
  kind: z.string(),
  identifierType: z.enum(['oin', 'ura']),
  identifier: z.string(),
  unit: z.string(),
  organisation: z.string(),
  national: z.boolean(),
});

/** GET /v1/whoami */
export const whoamiSchema = z
  .object({
    kind: z.enum(['system', 'person']),
    partner,
    user: z.object({ id: z.string(), role: z.string() }).optional(),
    person: z
      .object({ id: z.string(), name: z.string(), role: z.string(), partnerId: z.string() })
      .optional(),
    certificate: z.object({ serial: z.string(), issuer: z.string(), notAfter: z.string() }),
  })
  .meta({ id: 'WhoAmI' });

/** A case as a member sees it. */
export const caseSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(['open', 'closed']),
    phase: z.string(),
    lead: z.string(),
    emergency: z.boolean(),
    takeoverDueAt: z.string().optional(),
    createdAt: z.string(),
    members: z.array(z.object({ partner: z.string(), kind: z.string(), role: z.string() })),
    events: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        data: z.record(z.string(), z.unknown()),
        recordedBy: z.string(),
        recordedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'Case' });

/** A consent as its holder sees it (no BSN). */
export const consentSchema = z
  .object({
    id: z.uuid(),
    holder: z.string(),
    grantedBy: z.string(),
    recipients: z.array(z.string()),
    purposes: z.array(z.string()),
    categories: z.array(z.string()),
    validFrom: z.string(),
    validUntil: z.string(),
    withdrawnAt: z.string().optional(),
  })
  .meta({ id: 'Consent' });

/** An information request and the outcome per (holder, category). */
export const requestSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    purpose: z.string(),
    items: z.array(
      z.object({
        category: z.string(),
        holder: z.string(),
        outcome: z.enum(['disclosed', 'denied', 'pending_review', 'refused', 'not_found', 'error']),
        data: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('Only with `disclosed`: the permitted fields.'),
        legalBasis: z.string().optional(),
        reasons: z.array(reason),
      }),
    ),
    receipt: z.string().optional().describe('One compact JWS covering every disclosed item of this answer.'),
  })
  .meta({ id: 'InformationRequest' });

/** One entry of the review queue. */
export const reviewSchema = z
  .object({
    id: z.uuid(),
    requestId: z.uuid(),
    category: z.string(),
    purpose: z.string(),
    requester: z.string(),
    urgent: z.boolean(),
    dueAt: z.string(),
  })
  .meta({ id: 'Review' });

/** The answer to a review decision. */
export const reviewDecidedSchema = z
  .object({ id: z.uuid(), status: z.enum(['released', 'refused']) })
  .meta({ id: 'ReviewDecided' });

/** The AuthZEN evaluation answer. */
export const evaluationSchema = z
  .object({
    decision: z.boolean().describe('true only for permit'),
    context: z.object({
      decision: z.enum(['permit', 'deny', 'review']),
      reasons: z.array(reason),
      grounds: z.array(z.unknown()),
    }),
  })
  .meta({ id: 'EvaluationResponse' });

/** A stored receipt. */
export const receiptSchema = z
  .object({ id: z.string(), receipt: z.string().describe('compact JWS, verifiable with the JWKS') })
  .meta({ id: 'Receipt' });

/** The broker's public keys (receipts and checkpoints). */
export const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).meta({ id: 'JWKS' });

/** A signed checkpoint of the log. */
export const checkpointSchema = z.record(z.string(), z.unknown()).meta({ id: 'Checkpoint' });

/** An inclusion proof of one entry. */
export const proofSchema = z.record(z.string(), z.unknown()).meta({ id: 'InclusionProof' });

/** A page of log entries visible to the reader. */
export const entriesSchema = z
  .object({ entries: z.array(z.record(z.string(), z.unknown())) })
  .catchall(z.unknown())
  .meta({ id: 'AuditEntries' });

/** Policy revisions (privacy officers). */
export const policyOverviewSchema = z.record(z.string(), z.unknown()).meta({ id: 'PolicyOverview' });

/** One policy revision with its approvals, build and test results. */
export const policyRevisionSchema = z.record(z.string(), z.unknown()).meta({ id: 'PolicyRevision' });

/** A replay of past decisions against a revision. */
export const replayReportSchema = z.record(z.string(), z.unknown()).meta({ id: 'ReplayReport' });

/** The indicator report. */
export const indicatorReportSchema = z.record(z.string(), z.unknown()).meta({ id: 'IndicatorReport' });

/** A break-glass use as privacy officers see it. */
export const breakglassUseSchema = z
  .object({
    requestId: z.uuid(),
    caseId: z.uuid(),
    requester: z.string(),
    requesterUser: z.string(),
    requesterRole: z.string(),
    justification: z.string().nullable(),
    at: z.string(),
    reviewDueAt: z.string(),
    overdue: z.boolean(),
    review: z.object({ verdict: z.string(), by: z.string(), at: z.string() }).optional(),
  })
  .meta({ id: 'BreakglassUse' });

/** The OpenAPI document itself (described loosely: it describes itself). */
export const openApiDocumentSchema = z.record(z.string(), z.unknown()).meta({ id: 'OpenApiDocument' });

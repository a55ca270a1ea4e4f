// POST /access/v1/evaluation: the AuthZEN dry run; what would the policy decide, leaving out the person.
import type { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/env.ts';
import { readJson } from '../http/json-body.ts';
import { requireUser } from '../identity/require.ts';
import type { PolicyService } from './service.ts';
import type { PartnerKind, PolicyCase, PolicyInput } from './types.ts';

/** Dependencies of the dry run; the request flow supplies the real case store and pseudonymiser. */
export interface EvaluationDeps {
  readonly policy: PolicyService;
  /** The case as the policy sees it, or null when unknown (the policy then denies NTK_NO_CASE). */
  readonly findCase: (caseId: string) => Promise<PolicyCase | null>;
  /** Keyed pseudonym of a BSN, as the disclosure log and case store use it. */
  readonly pseudonymize: (bsn: string) => string;
  readonly now: () => number;
}

function elfproef(bsn: string): boolean {
  if (!/^\d{9}$/.test(bsn)) return false;
  const digits = [...bsn].map(Number);
  const sum = digits.slice(0, 8).reduce((total, d, i) => total + d * (9 - i), 0) - (digits[8] ?? 0);
  return sum % 11 === 0;
}

/** The AuthZEN evaluation body (also the source of its OpenAPI schema). */
export const evaluationBodySchema = z
  .object({
    subject: z.object({ type: z.literal('user'), id: z.string().min(1) }).strict(),
    resource: z
      .object({
        type: z.literal('category'),
        id: z.string().min(1).max(100),
        properties: z
          .object({
            caseId: z.string().min(1).max(100).optional(),
            bsn: z.string().refine(elfproef, 'not a valid BSN (elfproef)').optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    action: z.object({ name: z.string().min(1).max(100) }).strict(),
  })
  .strict();

/**
 * Mounts `POST /access/v1/evaluation`. The answer never depends on the person: consents and reviews
 * are left out (`dry_run`), so medical categories answer `review` or `deny`, never `permit`.
 *
 * @throws ValidationError (ERR_VALIDATION), TokenRequiredError, PolicyUnavailableError (503).
 * @example createApp({ ..., routes: [evaluationRoutes({ policy, findCase, pseudonymize, now: Date.now })] })
 */
export function evaluationRoutes(deps: EvaluationDeps) {
  return (app: Hono<AppEnv>) => {
    app.post('/access/v1/evaluation', async function evaluate(c) {
      // The verified identity decides who asks; subject.id is the caller's own label for its user.
      const caller = requireUser(c);
      const body = await readJson(c, evaluationBodySchema);
      const category = body.resource.id;
      const catalogue = deps.policy.engine().catalogue as {
        categories?: Record<string, { holder_kind?: PartnerKind }>;
      };
      const holderKind = catalogue.categories?.[category]?.holder_kind ?? caller.partner.kind;
      const properties = body.resource.properties ?? {};
      const found = properties.caseId === undefined ? null : await deps.findCase(properties.caseId);
      const input: PolicyInput = {
        now_ms: deps.now(),
        request_id: `evaluation-${c.get('requestId')}`,
        requester: {
          partner_id: caller.partner.id,
          kind: caller.partner.kind,
          national: caller.partner.national,
          role: caller.user.role,
          user: caller.user.id,
        },
        // A dry run asks no particular holder: the kind decides, the id only names it.
        holder: { partner_id: holderKind, kind: holderKind },
        subject: {
          pseudonym:
            properties.bsn === undefined
              ? (found?.subject_pseudonym ?? '')
              : deps.pseudonymize(properties.bsn),
        },
        case: found,
        purpose: body.action.name,
        category,
        justification: null,
        consents: [],
        review: null,
        dry_run: true,
      };
      const decision = deps.policy.decide(input);
      return c.json({
        decision: decision.decision === 'permit',
        context: { decision: decision.decision, reasons: decision.reasons, grounds: decision.grounds },
      });
    });
  };
}

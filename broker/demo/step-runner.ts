// SYNTHETIC history: carries out one planned step through the broker's own services, as a partner's user would.
import type { Kysely } from 'kysely';
import { consentBodySchema } from '../consents/consent-service.ts';
import type { FlowServices } from '../flow.ts';
import type { Requester } from '../requests/policy-input.ts';
import { reviewDecisionSchema, type ReviewDecisionBody } from '../requests/review-service.ts';
import type { Database, PartnerKind } from '../store/schema.ts';
import type { Actor, HistoryPartners, ReviewChoice, Step } from './case-plan.ts';

/** What the runner remembers of one case between its steps. */
export interface CaseState {
  readonly bsn: string;
  caseId?: string;
  consentId?: string;
  readonly requests: Map<number, string>;
}

export interface StepRunnerDeps {
  readonly db: Kysely<Database>;
  readonly services: FlowServices;
  readonly partners: ReadonlyMap<string, { id: string; kind: PartnerKind; national: boolean }>;
  readonly history: HistoryPartners;
}

/** Thrown when a step cannot be carried out; names the case and the operation. */
export class GeneratorStepError extends Error {
  override readonly name = 'GeneratorStepError';
}

const CONSIDERATIONS = {
  toestemming: 'te_gevaarlijk',
  gewetensnood: true,
  subsidiariteit: true,
  schade: true,
  doelmatigheid: true,
  proportionaliteit: true,
  collegaGeraadpleegd: true,
} as const;

function decisionBody(choice: ReviewChoice): ReviewDecisionBody {
  // Validated as POST /v1/reviews/{id}/decision validates it.
  if (choice.decision === 'refuse') {
    return reviewDecisionSchema.parse({ decision: 'refuse', redenCode: choice.redenCode });
  }
  if (choice.ground === 'conflict_van_plichten') {
    return reviewDecisionSchema.parse({
      decision: 'release',
      ground: choice.ground,
      considerations: CONSIDERATIONS,
    });
  }
  if (choice.ground === 'wettelijk_voorschrift') {
    return reviewDecisionSchema.parse({
      decision: 'release',
      ground: choice.ground,
      provision: 'Wvggz art. 8:29',
    });
  }
  return reviewDecisionSchema.parse({ decision: 'release', ground: choice.ground });
}

/** Creates the function that runs one step of a case. */
export function createStepRunner(deps: StepRunnerDeps) {
  const { services } = deps;
  const as = (actor: Actor, caseIndex: number): Requester => {
    const partner = deps.partners.get(actor.partner);
    if (partner === undefined) throw new GeneratorStepError(`partner ${actor.partner} is not registered`);
    // Pseudonymous users, a handful per partner and role.
    return { partner, user: { id: `sim-${actor.role}-${caseIndex % 7}`, role: actor.role } };
  };
  const requestOf = (state: CaseState, ref: number): string => {
    const id = state.requests.get(ref);
    if (id === undefined) throw new GeneratorStepError(`request ${ref} was never made`);
    return id;
  };
  const caseOf = (state: CaseState): string => {
    if (state.caseId === undefined) throw new GeneratorStepError('the case was never opened');
    return state.caseId;
  };
  const regie = (caseIndex: number) =>
    as({ partner: deps.history.politie, role: 'casusregisseur' }, caseIndex);
  const behandelaar = (caseIndex: number) =>
    as({ partner: deps.history.ggz, role: 'behandelaar' }, caseIndex);

  return async function runStep(step: Step, state: CaseState, now: Date): Promise<void> {
    const { op, caseIndex } = step;
    switch (op.kind) {
      case 'open':
        state.caseId = (
          await services.cases.open(regie(caseIndex), { bsn: state.bsn, melding: op.melding })
        ).id;
        return;
      case 'member':
        await services.cases.addMember(regie(caseIndex), caseOf(state), {
          partner: op.partner,
          role: op.role,
        });
        return;
      case 'event':
        await services.cases.recordEvent(as(op.as, caseIndex), caseOf(state), {
          type: op.type,
          data: op.data,
        });
        return;
      case 'request': {
        const view = await services.requests.create(as(op.as, caseIndex), {
          caseId: caseOf(state),
          bsn: state.bsn,
          purpose: op.purpose,
          categories: op.categories,
          justification: op.justification,
        });
        state.requests.set(op.ref, view.id);
        return;
      }
      case 'review': {
        // The professional's queue (GET /v1/reviews), narrowed to this request.
        const pending = await deps.db
          .selectFrom('reviews')
          .select(['id', 'reviewer_role'])
          .where('request_id', '=', requestOf(state, op.ref))
          .where('holder_partner_id', '=', op.holder)
          .where('status', '=', 'pending')
          .execute();
        for (const review of pending) {
          await services.reviews.decide(
            as({ partner: op.holder, role: review.reviewer_role }, caseIndex),
            review.id,
            decisionBody(op.choice),
          );
        }
        return;
      }
      case 'fetch':
        await services.requests.get(as(op.as, caseIndex), requestOf(state, op.ref));
        return;
      case 'consent': {
        const until = new Date(now.getTime() + op.days * 86_400_000);
        const body = consentBodySchema.parse({
          subject: { bsn: state.bsn },
          grantedBy: 'betrokkene',
          evidence: 'Ondertekend toestemmingsformulier (synthetisch)',
          recipients: ['politie'],
          purposes: ['risicotaxatie', 'persoonsgerichte_aanpak', 'monitoring'],
          categories: ['ggz.bekend', 'ggz.behandelaar'],
          validFrom: now.toISOString(),
          validUntil: until.toISOString(),
        });
        state.consentId = (await services.consents.record(behandelaar(caseIndex), body)).id;
        return;
      }
      case 'withdraw':
        if (state.consentId !== undefined)
          await services.consents.withdraw(behandelaar(caseIndex), state.consentId);
        return;
      case 'breakglass_review':
        await services.breakglass.review(
          { id: 'po-politie', partnerId: deps.history.politie },
          requestOf(state, op.ref),
          { verdict: op.verdict },
        );
        return;
    }
  };
}

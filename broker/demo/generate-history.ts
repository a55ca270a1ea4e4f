// SYNTHETIC history generator: plans cases over a window and plays them through the real services on a simulated clock.
import type { Kysely } from 'kysely';
import { createAuditLog } from '../audit/appender.ts';
import type { AuditAppender } from '../audit/contract.ts';
import { ensureKeyringFile, ensurePseudonymKeys } from '../audit/key-files.ts';
import { loadKeyring } from '../audit/keyring.ts';
import { createPseudonymizer } from '../audit/pseudonym.ts';
import { createReceiptService } from '../audit/receipts.ts';
import { createFileWitness } from '../audit/witness.ts';
import type { Catalogue } from '../catalogue.ts';
import { createFlow } from '../flow.ts';
import type { PolicyDecision, PolicyInput } from '../policy/types.ts';
import { createSubjectSealer } from '../requests/sealed-subject.ts';
import type { Database } from '../store/schema.ts';
import { DEMO_HISTORY_PARTNERS, planCase, type HistoryPartners, type Step } from './case-plan.ts';
import { createRandom, syntheticBsn } from './random.ts';
import { createSimulatedClock } from './simulated-clock.ts';
import { createSimulatedSources } from './simulated-sources.ts';
import { createStepRunner, GeneratorStepError, type CaseState } from './step-runner.ts';

export interface GenerateHistoryOptions {
  readonly db: Kysely<Database>;
  /** The policy catalogue (categories, roles). */
  readonly catalogue: Catalogue;
  /** The loaded policy's decision function: the generator asks the same policy the broker does. */
  readonly decide: (input: PolicyInput) => PolicyDecision;
  /** The disclosure log's key files (Config['audit']); created when absent, as the broker does. */
  readonly audit: {
    readonly signingKeysFile: string;
    readonly pseudonymKeysFile: string;
    readonly witnessFile: string;
    readonly maxBatch: number;
  };
  readonly sealKey: Uint8Array;
  readonly cases: number;
  readonly months: number;
  /** The history ends here (default: the real current time; a history never runs into the future). */
  readonly end?: Date;
  readonly seed?: number;
  /** Cases played at once (default 64). */
  readonly concurrency?: number;
  readonly partners?: HistoryPartners;
  /** Called about every 250 steps and at the end. */
  readonly onProgress?: (progress: GenerateProgress) => void;
}

export interface GenerateProgress {
  readonly stepsDone: number;
  readonly steps: number;
  readonly logEntries: number;
  /** The simulated instant reached. */
  readonly simulated: Date;
}

export interface GenerateResult {
  readonly from: Date;
  readonly to: Date;
  readonly cases: number;
  readonly steps: number;
  readonly logEntries: number;
}

/**
 * Plans `cases` cases reported over the `months` before `end` and plays every step through the
 * case, consent, request, review and break-glass services, so the history lands in the tables and
 * the disclosure log exactly as partner traffic would leave it. The services, the log and the
 * receipts read a SIMULATED clock (each step's instant); holders' sources are SIMULATED. Only this
 * generator sets a clock: the broker itself never accepts a client-supplied time.
 *
 * @throws GeneratorStepError when a step fails (the message names the case and the operation); what
 *   was played before it stays (it is a valid history up to that point).
 * @example await generateHistory({ db, catalogue, decide, audit: config.audit, sealKey, cases: 50, months: 24 });
 */
export async function generateHistory(options: GenerateHistoryOptions): Promise<GenerateResult> {
  const history = options.partners ?? DEMO_HISTORY_PARTNERS;
  const end = options.end ?? new Date();
  const startDate = new Date(end);
  startDate.setUTCMonth(startDate.getUTCMonth() - options.months);
  const window = { start: startDate.getTime(), end: end.getTime() };

  const partnerRows = await options.db.selectFrom('partners').select(['id', 'kind', 'national']).execute();
  const partners = new Map(partnerRows.map((p) => [p.id, p]));
  const missing = Object.values(history).filter((id: string) => !partners.has(id));
  if (missing.length > 0) {
    throw new GeneratorStepError(
      `partners not registered: ${missing.join(', ')} (the demo partners are needed)`,
    );
  }

  const seed = options.seed ?? 1;
  const steps: Step[] = [];
  for (let i = 0; i < options.cases; i++) {
    steps.push(...planCase(createRandom(seed * 1_000_003 + i), i, window, history));
  }
  steps.sort((a, b) => a.at - b.at);

  let failure: Error | undefined;
  const clock = createSimulatedClock(startDate);
  const keyring = await loadKeyring((await ensureKeyringFile(options.audit.signingKeysFile)).keyring);
  const log = createAuditLog({
    db: options.db,
    keyring,
    maxBatch: options.audit.maxBatch,
    witness: createFileWitness(options.audit.witnessFile, (error) => {
      failure ??= error instanceof Error ? error : new Error(String(error));
    }),
    now: clock.now,
  });
  let logEntries = 0;
  const counted: AuditAppender = {
    append: (record) => {
      logEntries += 1;
      return log.append(record);
    },
  };
  const pseudonyms = createPseudonymizer(ensurePseudonymKeys(options.audit.pseudonymKeysFile).keys);
  const notServed = (): never => {
    throw new Error('the generator serves no HTTP');
  };
  const flow = createFlow({
    db: options.db,
    audit: counted,
    receipts: createReceiptService({ db: options.db, keyring, now: clock.now }),
    catalogue: options.catalogue,
    pseudonyms,
    decide: options.decide,
    adapters: createSimulatedSources(partnerRows, options.catalogue.categories),
    sealer: createSubjectSealer(options.sealKey),
    getCaller: notServed,
    getRequester: notServed,
    getPrivacyOfficer: notServed,
    now: clock.now,
  });
  const runStep = createStepRunner({ db: options.db, services: flow.services, partners, history });

  const states = new Map<number, CaseState>();
  const chains = new Map<number, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  const concurrency = options.concurrency ?? 64;
  let done = 0;
  let reached = window.start;
  const report = () =>
    options.onProgress?.({ stepsDone: done, steps: steps.length, logEntries, simulated: new Date(reached) });

  try {
    for (const step of steps) {
      while (inFlight.size >= concurrency && failure === undefined) await Promise.race(inFlight);
      if (failure !== undefined) break;
      let state = states.get(step.caseIndex);
      if (state === undefined) {
        state = { bsn: syntheticBsn(step.caseIndex + seed * 10_007), requests: new Map() };
        states.set(step.caseIndex, state);
      }
      const caseState = state;
      // A case's steps run one after another; different cases run side by side.
      const run = (chains.get(step.caseIndex) ?? Promise.resolve()).then(() =>
        clock.at(new Date(step.at), async () => {
          if (failure !== undefined) return;
          try {
            await runStep(step, caseState, new Date(step.at));
          } catch (error) {
            failure ??= new GeneratorStepError(
              `case ${step.caseIndex}, ${step.op.kind} at ${new Date(step.at).toISOString()}: ${(error as Error).message}`,
              { cause: error },
            );
          }
          done += 1;
          reached = Math.max(reached, step.at);
          if (done % 250 === 0) report();
        }),
      );
      chains.set(step.caseIndex, run);
      const tracked = run.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
    await Promise.all(inFlight);
  } finally {
    await log.close();
  }
  if (failure !== undefined) throw failure;
  report();
  return { from: startDate, to: end, cases: options.cases, steps: steps.length, logEntries };
}

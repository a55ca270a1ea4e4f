// The policy lifecycle: propose, approve (four eyes, the holder's say), replay, activate and roll back.
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { AuditActor, AuditAppender } from '../../audit/contract.ts';
import { ValidationError } from '../../errors.ts';
import type { Database } from '../../store/schema.ts';
import { readBundle } from '../bundle.ts';
import { createPolicyEngine, type PolicyEngine } from '../engine.ts';
import { loadPolicyEngine, type PolicyService } from '../service.ts';
import { signBundleArchive } from '../sign.ts';
import { sourceRevision } from '../revision.ts';
import type { BundleVerificationKey } from '../signature.ts';
import { approvalState, SYSTEM_AUTHOR, type ApprovalState } from './approvals.ts';
import { buildWorkspace, type BuildReport } from './build.ts';
import { applyCatalogueEdits } from './catalogue-edits.ts';
import {
  ActivationConflictError,
  AlreadyActiveError,
  AlreadyApprovedError,
  BuildFailedError,
  NotApprovedError,
  OpaUnavailableError,
  RevisionExistsError,
  RevisionNotFoundError,
  SelfApprovalError,
  TestsFailedError,
} from './errors.ts';
import { describeChanges, touchedHolderKinds } from './holder-say.ts';
import type { OpaRunner } from './opa.ts';
import type { PolicyKey } from './policy-key.ts';
import type { ApprovalBody, Proposal, ReplayBody } from './proposal.ts';
import { replayInputs, replaySummary, type ReplayResult } from './replay.ts';
import { createWorkspace, sourcesOfBundle, sourcesOfDir, type PolicySources } from './sources.ts';
import type { RevisionKind } from './tables.ts';

/** A signed-in privacy officer (a person with role privacy_officer) and the kind of their partner. */
export interface Officer {
  readonly id: string;
  readonly partnerId: string;
  readonly partnerKind: string;
}

/** Who activates: a privacy officer in the pages or API, or the operator at the CLI. */
export type Activator = Officer | { readonly operator: string };

/** A revision in lists. */
export interface RevisionSummary {
  readonly revision: string;
  readonly kind: RevisionKind;
  readonly description: string;
  readonly baseRevision: string | null;
  readonly author: string;
  readonly authorPartner: string | null;
  readonly createdAt: string;
  /** `active`, `built` (can be approved), `failed` (did not build), or `superseded` (was active before). */
  readonly status: 'active' | 'built' | 'failed' | 'superseded';
  readonly testsPassed: boolean;
  readonly holderKinds: readonly string[];
}

/** A revision with everything a page shows about it. */
export interface RevisionDetail extends RevisionSummary {
  readonly build: BuildReport;
  readonly changes: { readonly catalogue: readonly string[]; readonly rego: readonly string[] };
  readonly approval: ApprovalState;
  /** The last replay's counts, when one was run. */
  readonly replay: ReturnType<typeof replaySummary> | null;
  readonly activations: readonly { readonly activatedAt: string; readonly activatedBy: string }[];
}

/** The active revision and the history, newest first. */
export interface PolicyOverview {
  readonly active: {
    readonly revision: string;
    readonly activatedAt: string | null;
    readonly activatedBy: string | null;
  } | null;
  readonly revisions: readonly RevisionSummary[];
  readonly activations: readonly {
    readonly revision: string;
    readonly previousRevision: string | null;
    readonly activatedBy: string;
    readonly activatedAt: string;
  }[];
}

export interface PolicyLifecycleDeps {
  readonly db: Kysely<Database>;
  readonly audit: AuditAppender;
  /** The running policy; activation swaps its engine. */
  readonly policy: PolicyService;
  /** The checkout's policies/ folder: tests, schema and scenario table for every build. */
  readonly policiesDir: string;
  /** Runs opa; undefined when opa is not installed (proposals then answer ERR_OPA_UNAVAILABLE). */
  readonly opa: OpaRunner | undefined;
  /** The broker's policy key (signs on activation). */
  readonly key: PolicyKey;
  /** Keys uploaded bundles may be signed with (the configured public key); the broker's own key is added. */
  readonly uploadKeys: readonly BundleVerificationKey[];
  readonly maxMemoryBytes: number;
  /** Where a failure the disclosure log could not take is reported. */
  readonly logger: Logger;
}

const iso = (d: Date | string) => new Date(d).toISOString();
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (text: string) => Buffer.from(text, 'base64');
const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

function officerActor(who: Activator): AuditActor {
  return 'operator' in who
    ? { user: who.operator, role: 'operator' }
    : { personId: who.id, partnerId: who.partnerId, partnerKind: who.partnerKind, role: 'privacy_officer' };
}

const whoName = (who: Activator) => ('operator' in who ? `operator:${who.operator}` : who.id);

/**
 * Creates the lifecycle service the routes, the CLI and the pages call.
 *
 * @example
 * const lifecycle = createPolicyLifecycle({ db, audit, policy, policiesDir: POLICIES_DIR, opa, key, uploadKeys: [], maxMemoryBytes });
 * const proposed = await lifecycle.propose(officer, { kind: 'catalogue', description: '...', edits: [...] });
 */
export function createPolicyLifecycle(deps: PolicyLifecycleDeps) {
  const trusted = { keys: [deps.key.verification, ...deps.uploadKeys] };
  const engines = new Map<string, PolicyEngine>();

  async function activeRow() {
    return deps.db
      .selectFrom('policy_activations')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  async function row(revision: string) {
    const found = await deps.db
      .selectFrom('policy_revisions')
      .selectAll()
      .where('revision', '=', revision)
      .executeTakeFirst();
    if (found === undefined) throw new RevisionNotFoundError(`No policy revision ${revision}.`);
    return found;
  }

  /** The engine for a stored revision (cached; the bundle is the one built or verified at proposal). */
  async function engineOf(r: { revision: string; bundle: string | null; signed_bundle: string | null }) {
    const cached = engines.get(r.revision);
    if (cached !== undefined) return cached;
    if (r.bundle === null) throw new BuildFailedError(`Revision ${r.revision} did not build.`);
    const bundle = await readBundle(unb64(r.signed_bundle ?? r.bundle), 'committed');
    const engine = await createPolicyEngine(bundle, { maxMemoryBytes: deps.maxMemoryBytes });
    if (engines.size >= 8) engines.delete(engines.keys().next().value!);
    engines.set(r.revision, engine);
    return engine;
  }

  /** The stored sources of a revision. */
  async function sourcesOf(revision: string): Promise<PolicySources | undefined> {
    const stored = await deps.db
      .selectFrom('policy_revisions')
      .select('sources')
      .where('revision', '=', revision)
      .executeTakeFirst();
    return stored === undefined ? undefined : json<PolicySources>(stored.sources);
  }

  /** The sources the running revision was built from (the checkout's until a revision is stored). */
  async function baseSources(): Promise<{ revision: string; sources: PolicySources }> {
    const revision = deps.policy.revision() ?? sourceRevision(deps.policiesDir);
    return { revision, sources: (await sourcesOf(revision)) ?? sourcesOfDir(deps.policiesDir) };
  }

  /**
   * The holder kinds whose officers must approve: those the proposal touched against its base, and
   * those it touches against the running revision (a rollback changes what is running now).
   */
  async function requiredHolderKinds(r: { revision: string; holder_kinds: unknown; sources: unknown }) {
    const stored = json<string[]>(r.holder_kinds);
    const running = await baseSources();
    if (running.revision === r.revision) return stored;
    const now = touchedHolderKinds(running.sources, json<PolicySources>(r.sources));
    return [...new Set([...stored, ...now])].sort();
  }

  function summarise(
    r: Awaited<ReturnType<typeof row>>,
    active: string | undefined,
    everActive: ReadonlySet<string>,
  ): RevisionSummary {
    const build = json<BuildReport>(r.build);
    return {
      revision: r.revision,
      kind: r.kind,
      description: r.description,
      baseRevision: r.base_revision,
      author: r.author_person,
      authorPartner: r.author_partner,
      createdAt: iso(r.created_at),
      status:
        r.revision === active
          ? 'active'
          : r.bundle === null
            ? 'failed'
            : everActive.has(r.revision)
              ? 'superseded'
              : 'built',
      testsPassed: build.uploaded !== undefined || build.test.ok,
      holderKinds: json<string[]>(r.holder_kinds),
    };
  }

  async function activations() {
    return deps.db.selectFrom('policy_activations').selectAll().orderBy('seq', 'desc').execute();
  }

  async function detail(revision: string): Promise<RevisionDetail> {
    const r = await row(revision);
    const history = await activations();
    const active = history[0]?.revision ?? deps.policy.revision();
    const summary = summarise(r, active, new Set(history.map((a) => a.revision)));
    return {
      ...summary,
      build: json<BuildReport>(r.build),
      changes: json(r.changes),
      approval: await approvalState(deps.db, {
        revision: r.revision,
        author: r.author_person,
        holderKinds: await requiredHolderKinds(r),
      }),
      replay: r.replay === null ? null : json(r.replay),
      activations: history
        .filter((a) => a.revision === revision)
        .map((a) => ({ activatedAt: iso(a.activated_at), activatedBy: a.activated_by })),
    };
  }

  async function insertRevision(values: {
    revision: string;
    kind: RevisionKind;
    description: string;
    base: string | null;
    author: string;
    authorPartner: string | null;
    archive: Buffer | undefined;
    sources: PolicySources;
    build: BuildReport;
    changes: unknown;
    holderKinds: readonly string[];
  }) {
    await deps.db
      .insertInto('policy_revisions')
      .values({
        revision: values.revision,
        kind: values.kind,
        description: values.description,
        base_revision: values.base,
        author_person: values.author,
        author_partner: values.authorPartner,
        bundle: values.archive === undefined ? null : b64(values.archive),
        signed_bundle: null,
        sources: JSON.stringify(values.sources),
        build: JSON.stringify(values.build),
        changes: JSON.stringify(values.changes),
        holder_kinds: JSON.stringify(values.holderKinds),
        replay: null,
      })
      .execute();
  }

  async function exists(revision: string): Promise<boolean> {
    const found = await deps.db
      .selectFrom('policy_revisions')
      .select('revision')
      .where('revision', '=', revision)
      .executeTakeFirst();
    return found !== undefined;
  }

  async function replay(revision: string, includeConfidential: boolean, body: ReplayBody = {}) {
    const r = await row(revision);
    const proposed = await engineOf(r);
    const result = await replayInputs(deps.db, deps.policy.engine(), proposed, {
      includeConfidential,
      from: body.from === undefined ? undefined : new Date(body.from),
      to: body.to === undefined ? undefined : new Date(body.to),
      limit: body.limit,
    });
    return result;
  }

  /** The activation running or last run in this process: activate() queues behind it. */
  let activationQueue: Promise<unknown> = Promise.resolve();

  async function activateNow(who: Activator, revision: string): Promise<RevisionDetail> {
    const r = await row(revision);
    if (r.bundle === null) throw new BuildFailedError('A proposal that did not build cannot be activated.');
    // The recorded active revision as this activation saw it: it is recorded only if that is still so.
    const recorded = (await activeRow())?.revision ?? null;
    const previous = recorded ?? deps.policy.revision() ?? null;
    if (previous === revision) throw new AlreadyActiveError(`Revision ${revision} is already active.`);
    const holderKinds = await requiredHolderKinds(r);
    const state = await approvalState(deps.db, { revision, author: r.author_person, holderKinds });
    if (!state.satisfied) {
      const missing = [
        ...(state.secondOfficer
          ? []
          : [
              state.authorCounts
                ? 'approval by a privacy officer other than the author'
                : 'approval by two privacy officers (a rollback or the start-up revision has no author to count)',
            ]),
        ...state.missingHolderKinds.map((k) => `approval by a privacy officer of a ${k} partner`),
      ];
      throw new NotApprovedError(`Activation needs ${missing.join(' and ')}.`);
    }
    const signed = await signBundleArchive(unb64(r.bundle), {
      key: deps.key.key,
      alg: deps.key.alg,
      kid: deps.key.kid,
    });
    // Load it the way every other process will: verified against the broker's key.
    const engine = await loadPolicyEngine(
      signed,
      { keys: [deps.key.verification] },
      {
        maxMemoryBytes: deps.maxMemoryBytes,
      },
    );
    const summary = replaySummary(await replay(revision, false));
    // NOTE: the log entry commits before the revision becomes active anywhere.
    await deps.audit.append({
      type: 'policy.activated',
      actor: officerActor(who),
      policyRevision: revision,
      details: {
        previousRevision: previous,
        rollback: state.round > 0,
        author: r.author_person,
        approvers: state.approvals.map((a) => ({
          person: a.personId,
          partner: a.partnerId,
          kind: a.partnerKind,
        })),
        holderKinds,
        replay: summary,
        bundleSha256: sha256(signed),
        signedBy: deps.key.kid,
      },
    });
    try {
      await deps.db.transaction().execute(async (trx) => {
        // Activations in other processes (another broker, the CLI) wait here; one recorded since
        // this one read the active revision wins, and this one is refused (and so logged failed):
        // the log's order of activations stays the database's.
        await sql`select pg_advisory_xact_lock(hashtext('schakel.policy.activate'))`.execute(trx);
        const latest = await trx
          .selectFrom('policy_activations')
          .select('revision')
          .orderBy('seq', 'desc')
          .limit(1)
          .executeTakeFirst();
        if ((latest?.revision ?? null) !== recorded) {
          throw new ActivationConflictError(
            `Revision ${latest?.revision ?? '?'} was activated meanwhile; look again before activating ${revision}.`,
          );
        }
        await trx
          .updateTable('policy_revisions')
          .set({ signed_bundle: b64(signed), replay: JSON.stringify(summary) })
          .where('revision', '=', revision)
          .execute();
        await trx
          .insertInto('policy_activations')
          .values({ revision, previous_revision: previous, activated_by: whoName(who) })
          .execute();
      });
    } catch (error) {
      // The log already says activated: say that it did not happen, so that the log does not
      // name a revision active that never was. If even that cannot be written, the caller gets
      // the database's error either way, and the operators are told that the log is wrong here.
      await deps.audit
        .append({
          type: 'policy.activation_failed',
          actor: officerActor(who),
          policyRevision: revision,
          details: { previousRevision: previous, reason: 'the database did not record the activation' },
        })
        .catch((appendError: unknown) =>
          deps.logger.error(
            { err: appendError, revision, previousRevision: previous },
            'the disclosure log says this policy revision was activated, but the activation failed and ' +
              'that could not be logged: the revision is not active',
          ),
        );
      throw error;
    }
    deps.policy.activate(engine);
    return detail(revision);
  }

  return {
    /** The active revision and every revision, newest first (the history). */
    async list(): Promise<PolicyOverview> {
      const history = await activations();
      const rows = await deps.db
        .selectFrom('policy_revisions')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('revision')
        .execute();
      const current = deps.policy.revision();
      const active = history[0]?.revision ?? current;
      const everActive = new Set(history.map((a) => a.revision));
      return {
        active:
          active === undefined
            ? null
            : {
                revision: active,
                activatedAt: history[0] === undefined ? null : iso(history[0].activated_at),
                activatedBy: history[0]?.activated_by ?? null,
              },
        revisions: rows.map((r) => summarise(r, active, everActive)),
        activations: history.map((a) => ({
          revision: a.revision,
          previousRevision: a.previous_revision,
          activatedBy: a.activated_by,
          activatedAt: iso(a.activated_at),
        })),
      };
    },

    /** One revision with its build report, approvals and last replay. @throws RevisionNotFoundError */
    get: detail,

    /**
     * The sources (catalogue and non-test Rego) the running revision was built from: the revision
     * privacy officers activated last, or the start-up bundle's. The pages read the catalogue tables
     * and the rules in plain language from here, so they show what is in force, not what was on disk
     * at start-up.
     */
    activeSources: baseSources,

    /** The stored sources of a revision (the Rego editor starts from them), or undefined when unknown. */
    sources: sourcesOf,

    /**
     * Builds and stores a proposal: catalogue edits or Rego sources over the active revision, built with
     * opa (check --strict, test, build -t wasm); or a signed bundle, verified against the trusted keys.
     * A proposal that does not build is stored too (with its errors), so the page can show them.
     *
     * @throws ValidationError (ERR_VALIDATION) for edits that do not apply or a proposal that changes nothing;
     *   OpaUnavailableError (ERR_OPA_UNAVAILABLE, 503) when opa is not installed; RevisionExistsError (409);
     *   PolicyUnsignedError / PolicySignatureError / PolicyBundleInvalidError (422) for an upload.
     */
    async propose(author: Officer, proposal: Proposal): Promise<RevisionDetail> {
      const base = await baseSources();
      let revision: string;
      let archive: Buffer | undefined;
      let build: BuildReport;
      let sources: PolicySources;
      if (proposal.kind === 'bundle') {
        const bytes = unb64(proposal.bundle);
        const bundle = await readBundle(bytes, trusted);
        await createPolicyEngine(bundle, { maxMemoryBytes: deps.maxMemoryBytes });
        revision = bundle.revision;
        archive = bytes;
        sources = sourcesOfBundle(bundle);
        const ok = { ok: true, errors: [] };
        build = {
          ok: true,
          check: ok,
          test: { ok: true, ran: false, passed: 0, failed: 0, failures: [], errors: [] },
          build: ok,
          uploaded: { signedBy: bundle.signature?.kid ?? null },
        };
      } else {
        if (deps.opa === undefined) {
          throw new OpaUnavailableError(
            'The server cannot build proposals: install opa (see docs/policies.md) or set SCHAKEL_OPA_PATH.',
          );
        }
        let tests: Record<string, string> = {};
        if (proposal.kind === 'catalogue') {
          sources = {
            rego: base.sources.rego,
            catalogue: applyCatalogueEdits(base.sources.catalogue, proposal.edits),
          };
        } else {
          const rego: Record<string, string> = { ...base.sources.rego };
          for (const [name, content] of Object.entries(proposal.sources)) {
            if (name.endsWith('_test.rego')) {
              if (content !== null) tests = { ...tests, [name]: content };
              continue;
            }
            if (content === null) delete rego[name];
            else rego[name] = content;
          }
          sources = { rego, catalogue: base.sources.catalogue };
        }
        if (isDeepStrictEqual(sources, base.sources) && Object.keys(tests).length === 0) {
          throw new ValidationError('The proposal changes nothing.', {
            errors: [{ field: proposal.kind === 'catalogue' ? 'edits' : 'sources', message: 'no change' }],
          });
        }
        const ws = createWorkspace(deps.policiesDir, sources, tests);
        try {
          ({ report: build, revision, archive } = await buildWorkspace(deps.opa, ws));
        } finally {
          ws.dispose();
        }
      }
      if (revision === base.revision || (await exists(revision))) {
        throw new RevisionExistsError(`Revision ${revision} exists already; the proposal changes no policy.`);
      }
      const changes = describeChanges(base.sources, sources);
      const holderKinds = touchedHolderKinds(base.sources, sources);
      await deps.audit.append({
        type: 'policy.proposed',
        actor: officerActor(author),
        policyRevision: revision,
        details: {
          kind: proposal.kind,
          baseRevision: base.revision,
          built: build.ok,
          testsPassed: build.test.ok,
          changes,
          holderKinds,
          ...(archive === undefined ? {} : { bundleSha256: sha256(archive) }),
        },
      });
      await insertRevision({
        revision,
        kind: proposal.kind,
        description: proposal.description,
        base: base.revision,
        author: author.id,
        authorPartner: author.partnerId,
        archive,
        sources,
        build,
        changes,
        holderKinds,
      });
      return detail(revision);
    },

    /**
     * Records a privacy officer's approval for the revision's next activation.
     *
     * @throws RevisionNotFoundError (404); SelfApprovalError (ERR_POLICY_SELF_APPROVAL, 403) for the
     *   author; BuildFailedError (409); TestsFailedError (409) unless failing tests are acknowledged;
     *   AlreadyApprovedError (409).
     */
    async approve(approver: Officer, revision: string, body: ApprovalBody = {}): Promise<RevisionDetail> {
      const r = await row(revision);
      if (r.author_person === approver.id) {
        throw new SelfApprovalError('Four eyes: a privacy officer other than the author must approve.');
      }
      if (r.bundle === null) throw new BuildFailedError('A proposal that did not build cannot be approved.');
      const build = json<BuildReport>(r.build);
      const testsFail = build.uploaded === undefined && !build.test.ok;
      if (testsFail && body.acknowledgeFailingTests !== true) {
        throw new TestsFailedError(
          `${build.test.failed} test(s) fail; approve with acknowledgeFailingTests: true if that is intended.`,
        );
      }
      const holderKinds = await requiredHolderKinds(r);
      const state = await approvalState(deps.db, { revision, author: r.author_person, holderKinds });
      if (state.approvals.some((a) => a.personId === approver.id)) {
        throw new AlreadyApprovedError('You approved this revision already.');
      }
      await deps.audit.append({
        type: 'policy.approved',
        actor: officerActor(approver),
        policyRevision: revision,
        details: {
          author: r.author_person,
          round: state.round,
          testsAcknowledged: testsFail,
          bundleSha256: sha256(unb64(r.bundle)),
        },
      });
      try {
        await deps.db
          .insertInto('policy_approvals')
          .values({
            revision,
            round: state.round,
            person_id: approver.id,
            partner_id: approver.partnerId,
            partner_kind: approver.partnerKind,
            tests_acknowledged: testsFail,
            comment: body.comment ?? null,
          })
          .execute();
      } catch (error) {
        // Two clicks at once: the primary key keeps one approval per person and round.
        if (/duplicate|unique/i.test((error as Error).message)) {
          throw new AlreadyApprovedError('You approved this revision already.');
        }
        throw error;
      }
      return detail(revision);
    },

    /**
     * Replays the revision against the retained decision inputs and keeps the counts with the revision.
     * Confidential processing is left out unless the officer belongs to the AIVD.
     *
     * @throws RevisionNotFoundError (404), BuildFailedError (409).
     */
    async replay(officer: Officer | null, revision: string, body: ReplayBody = {}): Promise<ReplayResult> {
      const includeConfidential = officer?.partnerKind === 'aivd';
      const result = await replay(revision, includeConfidential, body);
      if (!includeConfidential) {
        await deps.db
          .updateTable('policy_revisions')
          .set({ replay: JSON.stringify(replaySummary(result)) })
          .where('revision', '=', revision)
          .execute();
      }
      return result;
    },

    /**
     * Activates a revision (a new one, or an earlier one to roll back): checks the approvals, signs the
     * bundle with the broker's policy key, logs the change (author, approvers, replay summary), records
     * it, and swaps this process's engine; other processes pick it up from the database. When the
     * database does not record it after the log did, logs `policy.activation_failed` as well.
     * Activations in this process run one at a time.
     *
     * @throws RevisionNotFoundError (404), BuildFailedError (409), AlreadyActiveError (409),
     *   NotApprovedError (ERR_POLICY_NOT_APPROVED, 409) naming what is missing.
     */
    activate(who: Activator, revision: string): Promise<RevisionDetail> {
      // One activation at a time in this process: otherwise two could log in one order and
      // record in the other, and the log would name another revision active than the database.
      const run = activationQueue.then(() => activateNow(who, revision));
      activationQueue = run.catch(() => undefined);
      return run;
    },

    /**
     * Registers the start-up bundle as the `baseline` revision (once), so a later rollback can return to it.
     */
    async registerBaseline(archive: Uint8Array, revision: string): Promise<void> {
      if (await exists(revision)) return;
      const sources =
        revision === sourceRevision(deps.policiesDir)
          ? sourcesOfDir(deps.policiesDir)
          : sourcesOfBundle(await readBundle(archive, 'committed'));
      const ok = { ok: true, errors: [] };
      await deps.db
        .insertInto('policy_revisions')
        .values({
          revision,
          kind: 'baseline',
          description: 'The bundle the broker started with before any activation.',
          base_revision: null,
          author_person: SYSTEM_AUTHOR,
          author_partner: null,
          bundle: b64(archive),
          signed_bundle: null,
          sources: JSON.stringify(sources),
          build: JSON.stringify({
            ok: true,
            check: ok,
            test: { ok: true, ran: false, passed: 0, failed: 0, failures: [], errors: [] },
            build: ok,
            uploaded: { signedBy: null },
          } satisfies BuildReport),
          changes: JSON.stringify({ catalogue: [], rego: [] }),
          holder_kinds: JSON.stringify([]),
          replay: null,
        })
        .onConflict((oc) => oc.column('revision').doNothing())
        .execute();
    },

    /** Trusted keys for loading activated bundles (the broker's own). */
    trust: { keys: [deps.key.verification] } as const,
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export type PolicyLifecycle = ReturnType<typeof createPolicyLifecycle>;

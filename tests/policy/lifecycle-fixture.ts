// A policy lifecycle over a test database: real opa builds, the committed bundle, privacy officers by header.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Hono } from 'hono';
import { ForbiddenError } from '../../broker/errors.ts';
import type { AppEnv } from '../../broker/http/env.ts';
import { createLogger } from '../../broker/logger.ts';
import {
  createPolicyService,
  loadPolicyEngine,
  type PolicyInput,
  type PolicyService,
} from '../../broker/policy/index.ts';
import {
  createInputRecorder,
  createOpaRunner,
  createPolicyLifecycle,
  ensurePolicyKey,
  policyLifecycleRoutes,
  type InputRecorder,
  type Officer,
  type PolicyKey,
  type PolicyLifecycle,
} from '../../broker/policy/lifecycle/index.ts';
import type { Store } from '../../broker/store/database.ts';
import { scratchDir } from '../support/databases.ts';
import { memoryLogger } from '../support/memory-logger.ts';
import { createRecordingAppender, type RecordingAppender } from '../support/recording-audit.ts';
import { createApp } from '../../broker/http/app.ts';
import { createHttpMetrics } from '../../broker/http/metrics.ts';
import { COMMITTED_BUNDLE, POLICIES, findOpa } from './support.ts';

/** Privacy officers of several partners, as the identity guard would present them. */
export const OFFICERS = {
  politieA: { id: 'po-politie-a', partnerId: 'demo-politie', partnerKind: 'politie' },
  omB: { id: 'po-om-b', partnerId: 'demo-om', partnerKind: 'om' },
  ggz: { id: 'po-ggz', partnerId: 'demo-ggz', partnerKind: 'ggz' },
  aivd: { id: 'po-aivd', partnerId: 'demo-aivd', partnerKind: 'aivd' },
} as const satisfies Record<string, Officer>;

interface Scenario {
  readonly name: string;
  readonly input: PolicyInput;
  readonly expect: { readonly decision?: string };
}

/** A scenario's input from policies/scenarios.json, by name. */
export function scenarioInput(name: string): PolicyInput {
  const { scenarios } = JSON.parse(readFileSync(path.join(POLICIES, 'scenarios.json'), 'utf8')) as {
    scenarios: Scenario[];
  };
  const found = scenarios.find((s) => s.name === name);
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return found.input;
}

export interface LifecycleFixture {
  readonly policy: PolicyService;
  readonly lifecycle: PolicyLifecycle;
  readonly audit: RecordingAppender;
  readonly recorder: InputRecorder;
  /** What the lifecycle logged (JSON lines). */
  readonly logLines: string[];
  readonly key: PolicyKey;
  readonly app: Hono<AppEnv>;
  /** Decides with the running policy and retains the input, as the broker's request flow does. */
  decide(input: PolicyInput): ReturnType<PolicyService['decide']>;
}

/**
 * Builds the lifecycle over `store` with the committed bundle as baseline. `keyFile` lets two
 * instances share the broker's policy key, as replicas of one broker do.
 */
export async function createLifecycleFixture(
  store: Store,
  options: { keyFile?: string; opa?: boolean } = {},
): Promise<LifecycleFixture> {
  const archive = readFileSync(COMMITTED_BUNDLE);
  const policy = createPolicyService();
  policy.activate(await loadPolicyEngine(archive, 'committed'));
  const key = ensurePolicyKey(options.keyFile ?? path.join(scratchDir('policy-key'), 'policy-signing.pem'));
  const audit = createRecordingAppender();
  const opa = findOpa();
  const { logger, lines: logLines } = memoryLogger();
  const lifecycle = createPolicyLifecycle({
    db: store.db,
    audit,
    policy,
    policiesDir: POLICIES,
    opa: options.opa === false || opa === undefined ? undefined : createOpaRunner(opa),
    key,
    uploadKeys: [],
    maxMemoryBytes: 32 * 1024 * 1024,
    logger,
  });
  await lifecycle.registerBaseline(archive, policy.revision()!);
  const recorder = createInputRecorder({
    db: store.db,
    logger: createLogger({ level: 'silent' }),
    retentionDays: 90,
  });
  const app = createApp({
    logger: createLogger({ level: 'silent' }),
    metrics: createHttpMetrics({ collectProcessMetrics: false }),
    // An uploaded bundle travels base64 in JSON, as under the broker's default 1 MiB limit.
    maxBodyBytes: 1024 * 1024,
    routes: [
      policyLifecycleRoutes({
        lifecycle,
        getOfficer: (c) => {
          const raw = c.req.header('x-test-officer');
          const person = raw === undefined ? undefined : (JSON.parse(raw) as Officer & { role?: string });
          if (person === undefined || (person.role ?? 'privacy_officer') !== 'privacy_officer') {
            throw new ForbiddenError('Only privacy_officer may do this.');
          }
          return { id: person.id, partnerId: person.partnerId, partnerKind: person.partnerKind };
        },
      }),
    ],
  });
  return {
    policy,
    lifecycle,
    audit,
    recorder,
    logLines,
    key,
    app,
    decide(input) {
      const decision = policy.decide(input);
      recorder.record(input, decision);
      return decision;
    },
  };
}

/** Sends a JSON request as a privacy officer (or as someone else with `role`). */
export function asOfficer(
  app: Hono<AppEnv>,
  officer: Officer & { role?: string },
  method: string,
  url: string,
  body?: unknown,
) {
  return app.request(url, {
    method,
    headers: { 'x-test-officer': JSON.stringify(officer), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A matrix-cell edit proposal. */
export function matrixProposal(requesterKind: string, purpose: string, category: string, allowed: boolean) {
  return {
    kind: 'catalogue',
    description: `${allowed ? 'allow' : 'disallow'} ${category} to ${requesterKind} for ${purpose}`,
    edits: [{ op: 'matrix', requesterKind, purpose, category, allowed }],
  };
}

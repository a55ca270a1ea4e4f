// The policy lifecycle's door: services, routes and types the broker, the CLI and the pages use.
export type { Approval, ApprovalState } from './approvals.ts';
export type { BuildReport, OpaMessage, TestFailure } from './build.ts';
export { catalogueEditSchema, type CatalogueEdit } from './catalogue-edits.ts';
export * from './errors.ts';
export { createOpaRunner, locateOpa, type OpaRunner } from './opa.ts';
export { ensurePolicyKey, type PolicyKey } from './policy-key.ts';
export {
  approvalSchema,
  proposalSchema,
  replaySchema,
  type ApprovalBody,
  type Proposal,
  type ReplayBody,
} from './proposal.ts';
export type { ChangedDecision, ReplayCount, ReplayOutcome, ReplayResult } from './replay.ts';
export { createInputRecorder, type InputRecorder } from './retained-inputs.ts';
export { policyLifecycleRoutes } from './routes.ts';
export {
  createPolicyLifecycle,
  type Activator,
  type Officer,
  type PolicyLifecycle,
  type PolicyOverview,
  type RevisionDetail,
  type RevisionSummary,
} from './service.ts';
export type { PolicySources } from './sources.ts';
export { startPolicyWatcher, type PolicyWatcher } from './watcher.ts';

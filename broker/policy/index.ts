// The policy room's door: types and factories other rooms may use (opa-wasm stays inside).
export type { BundleTrust, PolicyBundle } from './bundle.ts';
export { ENTRYPOINT, readBundle } from './bundle.ts';
export type { PolicyEngine, PolicyEngineOptions } from './engine.ts';
export type { PolicyErrorCode } from './errors.ts';
export {
  PolicyBundleInvalidError,
  PolicySignatureError,
  PolicyUnavailableError,
  PolicyUnsignedError,
} from './errors.ts';
export type { PolicyService } from './service.ts';
export { createPolicyService, loadPolicyEngine } from './service.ts';
export type { BundleVerificationKey } from './signature.ts';
export { parseBundlePublicKey } from './bundle-keys.ts';
export type * from './types.ts';

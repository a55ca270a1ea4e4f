// Where the policy sources and the committed default bundle live in this checkout.
import { fileURLToPath } from 'node:url';

/** The repository's policies/ folder. */
export const POLICIES_DIR = fileURLToPath(new URL('../../policies', import.meta.url));

/** The committed default bundle (unsigned; pinned to policies/ by the test suite). */
export const DEFAULT_BUNDLE_FILE = fileURLToPath(
  new URL('../../policies/bundle/bundle.tgz', import.meta.url),
);

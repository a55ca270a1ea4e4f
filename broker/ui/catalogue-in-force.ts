// The catalogue of the policy revision in force, for the pages that show categories, grounds and minimal fields.
import type { PolicyLifecycle } from '../policy/lifecycle/index.ts';
import { catalogueText, type CatalogueText } from './catalogue-text.ts';

/** Gives the catalogue a page should show now. */
export type CatalogueSource = () => Promise<CatalogueText>;

/**
 * The catalogue of the revision this process decides with, read through the lifecycle service and
 * parsed once per revision: after privacy officers activate a revision that changes a category's
 * minimal fields, the review form offers the new ones (the start-up catalogue on disk would not).
 *
 * @throws ZodError when the revision's catalogue does not fit the pages (a broken bundle; fails the page).
 * @example reviewPages({ reviews, db, catalogue: catalogueInForce(lifecycle) })
 */
export function catalogueInForce(lifecycle: Pick<PolicyLifecycle, 'activeSources'>): CatalogueSource {
  let parsed: { revision: string; catalogue: CatalogueText } | undefined;
  return async function catalogueOfRevisionInForce() {
    const active = await lifecycle.activeSources();
    if (parsed?.revision !== active.revision) {
      parsed = { revision: active.revision, catalogue: catalogueText(active.sources.catalogue) };
    }
    return parsed.catalogue;
  };
}

/** A fixed catalogue as a source (tests, and pages shown without a policy lifecycle). */
export function fixedCatalogue(catalogue: CatalogueText): CatalogueSource {
  return () => Promise.resolve(catalogue);
}

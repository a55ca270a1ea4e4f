// The door of broker/ui: the route module and what a page needs to plug in.
export { uiRoutes, type UiOptions } from './ui-routes.ts';
export type { NavEntry, UiEnv, UiPage } from './ui-env.ts';
export { layout, csrfField, type Html } from './layout.ts';
export { pageContext, type PageContext } from './page-context.ts';
export { alert, badge, fieldProblems } from './components.ts';
export { loadCatalogueText, type CatalogueText } from './catalogue-text.ts';
export { catalogueInForce, fixedCatalogue, type CatalogueSource } from './catalogue-in-force.ts';
export { reviewPages } from './reviews/review-pages.ts';
export { breakglassPages } from './breakglass/breakglass-pages.ts';
export { releasedItemsReader } from './breakglass/released-items.ts';
export { policyPages } from './policies/policy-pages.ts';
export { loadRuleTexts } from './policies/rego-metadata.ts';

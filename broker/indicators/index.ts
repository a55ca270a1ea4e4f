// The indicator room's door: catalogue loading, computation, CSV and routes.
export {
  DEFAULT_CATALOGUE_DIR,
  loadCatalogue,
  parseCatalogue,
  type Catalogue,
  type IndicatorDefinition,
} from './catalogue.ts';
export {
  MIN_K,
  computeIndicators,
  extractionConnections,
  type Figure,
  type IndicatorCell,
  type IndicatorReport,
  type IndicatorResult,
} from './compute.ts';
export { reportToCsv } from './csv.ts';
export { CatalogueError, IndicatorQueryError } from './errors.ts';
export { parseIndicatorQuery, type IndicatorQuery } from './params.ts';
export { indicatorRoutes, type IndicatorRoutesDeps } from './routes.ts';

// Errors of the indicator module: a bad catalogue (start-up) and a query that breaks the output contract.
import { SchakelError } from '../errors.ts';

/** The indicator catalogue is unreadable or invalid; `problems` names every one. */
export class CatalogueError extends SchakelError {
  readonly code = 'ERR_INDICATOR_CATALOGUE';
  readonly status = 500;
  readonly title = 'Invalid indicator catalogue';
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid indicator catalogue:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** An indicator query returned rows the module may not publish (missing columns, a pseudonym as key). */
export class IndicatorQueryError extends SchakelError {
  readonly code = 'ERR_INDICATOR_QUERY';
  readonly status = 500;
  readonly title = 'Indicator query failed';
}

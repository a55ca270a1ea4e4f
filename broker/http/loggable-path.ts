// A request path as it may be logged: a BSN a client put in it (say /v1/cases/111222333) is masked.
import { isValidBsn } from '../bsn.ts';

/** A run of exactly nine digits (not part of a longer run). */
const NINE_DIGITS = /(?<!\d)\d{9}(?!\d)/g;

/**
 * `pathname` with every run of exactly nine digits that passes the elfproef replaced by `[bsn]`.
 * Paths are chosen by clients, so one may carry a BSN even though no route takes one: the access
 * log and the disclosure log (which refuses a record holding a BSN) get this form instead.
 *
 * @example loggablePath('/v1/cases/111222333') // '/v1/cases/[bsn]'
 */
export function loggablePath(pathname: string): string {
  // Most paths hold no nine digits in a row: no replacement pass for them.
  if (!/\d{9}/.test(pathname)) return pathname;
  return pathname.replace(NINE_DIGITS, (run) => (isValidBsn(run) ? '[bsn]' : run));
}

// A request path as it may be logged: a BSN a client put in it (say /v1/cases/111222333, or percent-encoded) is masked.
import { maskBsnRuns } from '../bsn.ts';

/**
 * `pathname` with every BSN in it replaced by `[bsn]` (see maskBsnRuns). Paths are chosen by
 * clients, so one may carry a BSN even though no route takes one: the access log and the
 * disclosure log (which refuses a record holding a BSN) get this form instead. Routing decodes the
 * path, so a percent-encoded BSN (`%31%31%31222333`) is one too: a path holding one is logged
 * decoded and masked; any other path as it came.
 *
 * @example loggablePath('/v1/cases/111222333') // '/v1/cases/[bsn]'
 */
export function loggablePath(pathname: string): string {
  const decoded = pathname.includes('%') ? decodeDigits(pathname) : pathname;
  const masked = maskBsnRuns(decoded);
  return masked === decoded ? pathname : masked;
}

/** The path with its percent-encoded characters decoded, or at least its encoded digits when it is malformed. */
function decodeDigits(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname.replace(/%3([0-9])/gi, '$1');
  }
}

// The BSN (burgerservicenummer): nine digits that pass the elfproef. Never logged, never stored.

/**
 * The elfproef: 9·d1 + 8·d2 + ... + 2·d8 − 1·d9 must be divisible by 11 (and not all zeros).
 *
 * @example isValidBsn('111222333') // true
 */
export function isValidBsn(value: string): boolean {
  if (!/^\d{9}$/.test(value) || value === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(value[i]) * (9 - i);
  sum -= Number(value[8]);
  return sum % 11 === 0;
}

/** A run of exactly nine digits (not part of a longer run of digits). */
const NINE_DIGITS = /(?<!\d)\d{9}(?!\d)/g;

/**
 * `text` with every run of exactly nine digits that passes the elfproef replaced by `[bsn]`, for
 * values a client chooses (a path, a request id, a certificate's issuer) that reach a log. Stricter
 * than the disclosure log's guard, which lets a run touching a letter or hyphen pass (hashes,
 * pseudonyms): here only digits bound a run.
 *
 * @example maskBsnRuns('/v1/cases/111222333') // '/v1/cases/[bsn]'
 */
export function maskBsnRuns(text: string): string {
  // Most values hold no nine digits in a row: no replacement pass for them.
  if (!/\d{9}/.test(text)) return text;
  return text.replace(NINE_DIGITS, (run) => (isValidBsn(run) ? '[bsn]' : run));
}

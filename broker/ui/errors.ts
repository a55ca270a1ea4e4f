// Errors raised by the pages themselves (the others come from the services they call).
// A form post that did not come from our own page (cross-site, wrong origin, or a bad token) is the
// identity guard's ERR_CSRF: one class for the API and the pages.
export { CsrfError } from '../identity/errors.ts';

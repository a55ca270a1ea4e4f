// What every page handler needs: the signed-in person (role checked), language, form token, navigation.
import type { Context } from 'hono';
import { ForbiddenError } from '../errors.ts';
import type { PartnerIdentity } from '../identity/identity.ts';
import type { PersonRole } from '../identity/roles.ts';
import { csrfToken } from './csrf.ts';
import { chooseLanguage, type Lang } from './i18n/language.ts';
import type { Messages } from './i18n/messages-nl.ts';
import type { NavEntry, UiEnv } from './ui-env.ts';

/** The signed-in person a page acts for. */
export interface PagePerson {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly partnerId: string;
}

/** Everything a page renders with. */
export interface PageContext {
  readonly person: PagePerson;
  readonly partner: PartnerIdentity;
  readonly lang: Lang;
  readonly t: Messages;
  /** The token for this page's forms (hidden field `_csrf`). */
  readonly csrf: string;
  /** The request path, for the current-page marker and the language switch. */
  readonly path: string;
  /** The request's query string without `lang`: the language switch keeps it (a chosen period, say). */
  readonly query: string;
  /** The navigation entries this person's role may use. */
  readonly nav: readonly NavEntry[];
}

/**
 * The page context for a person in one of `roles` (any signed-in person when omitted). The guard
 * already refused partner-system certificates on `/ui`; this checks the role on every page.
 *
 * @throws ForbiddenError (ERR_FORBIDDEN) for anyone else.
 */
export function pageContext(c: Context<UiEnv>, roles?: readonly PersonRole[]): PageContext {
  const identity = c.get('identity');
  const person = identity?.person;
  if (identity?.kind !== 'person' || person === undefined) {
    throw new ForbiddenError('The pages are for people signed in with a personal certificate.');
  }
  if (roles !== undefined && !roles.includes(person.role as PersonRole)) {
    throw new ForbiddenError(`Only ${roles.join(', ')} may use this page.`);
  }
  const { lang, t } = chooseLanguage(c);
  const url = new URL(c.req.url);
  const query = new URLSearchParams(url.search);
  query.delete('lang');
  return {
    person,
    partner: identity.partner,
    lang,
    t,
    csrf: csrfToken(c),
    path: url.pathname,
    query: query.toString(),
    nav: c.get('nav').filter((entry) => entry.roles.includes(person.role as PersonRole)),
  };
}

// Which language a page is shown in: ?lang= (remembered in a cookie), else the cookie, else Dutch.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { en } from './messages-en.ts';
import { nl, type Messages } from './messages-nl.ts';

/** The languages the pages speak; Dutch is the default. */
export const LANGUAGES = { nl, en } as const;
export type Lang = keyof typeof LANGUAGES;

const COOKIE = 'schakel-lang';

function isLang(value: string | undefined): value is Lang {
  return value === 'nl' || value === 'en';
}

/**
 * The language for this request. A `?lang=nl|en` query switches and is remembered in a cookie, so
 * the switch works without JavaScript; anything else falls back to the cookie, then to Dutch.
 */
export function chooseLanguage(c: Context): { lang: Lang; t: Messages } {
  const asked = c.req.query('lang');
  if (isLang(asked)) {
    setCookie(c, COOKIE, asked, { path: '/ui', secure: true, sameSite: 'Lax', maxAge: 365 * 86_400 });
    return { lang: asked, t: LANGUAGES[asked] };
  }
  const remembered = getCookie(c, COOKIE);
  const lang: Lang = isLang(remembered) ? remembered : 'nl';
  return { lang, t: LANGUAGES[lang] };
}

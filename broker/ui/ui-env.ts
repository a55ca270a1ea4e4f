// The Hono environment of the pages: the API's, plus the navigation the signed-in person may use.
import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { PersonRole } from '../identity/roles.ts';
import type { Messages } from './i18n/messages-nl.ts';

/** One page in the main navigation, shown only to the roles that may use it. */
export interface NavEntry {
  /** Full path, e.g. `/ui/reviews`. */
  readonly path: string;
  readonly roles: readonly PersonRole[];
  readonly label: (t: Messages) => string;
}

/** The pages' Hono environment. */
export interface UiEnv {
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & { nav: readonly NavEntry[] };
}

/**
 * A page (or group of pages): its navigation entry and a function that mounts its routes on the
 * `/ui` sub-app (paths relative to `/ui`). See broker/ui/README.md.
 */
export interface UiPage {
  readonly nav: NavEntry;
  readonly mount: (ui: Hono<UiEnv>) => void;
}

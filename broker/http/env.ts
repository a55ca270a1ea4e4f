// The Hono environment every route sees: node bindings plus per-request variables.
import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';
import type { Identity } from '../identity/identity.ts';

export interface RequestVariables {
  /** The request id, echoed in the X-Request-Id header and bound to every log line. */
  requestId: string;
  /** A child logger carrying the request id and trace id. */
  log: Logger;
  /** Who is calling, set by the identity guard before any route runs (see broker/identity/identity.ts). */
  identity?: Identity;
}

export interface AppEnv {
  Bindings: HttpBindings;
  Variables: RequestVariables;
}

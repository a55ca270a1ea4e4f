// GET /v1/whoami: the partner and user the broker sees on this connection.
import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { CertRequiredError } from './errors.ts';

/** Mounts /v1/whoami. Until partner identity is wired, every caller is anonymous: 401. */
export function whoamiRoutes() {
  return (app: Hono<AppEnv>) => {
    app.get('/v1/whoami', () => {
      throw new CertRequiredError('Present a client certificate issued to a registered partner.');
    });
  };
}

// GET /v1/whoami: the partner and the user or person the broker sees on this connection.
import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { identityOf } from './require.ts';

/** Mounts /v1/whoami; the identity guard has already refused callers it cannot identify. */
export function whoamiRoutes() {
  return (app: Hono<AppEnv>) => {
    app.get('/v1/whoami', (c) => {
      const identity = identityOf(c);
      return c.json({
        kind: identity.kind,
        partner: identity.partner,
        ...(identity.user === undefined ? {} : { user: identity.user }),
        ...(identity.person === undefined ? {} : { person: identity.person }),
        certificate: {
          serial: identity.certificate.serial,
          issuer: identity.certificate.issuer,
          notAfter: identity.certificate.notAfter.toISOString(),
        },
      });
    });
  };
}

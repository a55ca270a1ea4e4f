// The ordered list of migrations; add a file and a line here, never edit one that has shipped.
import type { Migration } from 'kysely';
import * as m0001 from './0001-partners.ts';
import * as m0004 from './0004-cases-consents.ts';
import * as m0005 from './0005-requests.ts';
import * as m0006 from './0006-breakglass-reviews.ts';
import * as m0007 from './0007-policy-lifecycle.ts';
import * as m0011 from './0011-reference-records.ts';
import * as m0003 from './0003-audit.ts';
import * as m0012 from './0012-review-webhooks.ts';
import * as m0013 from './0013-reviews-by-request.ts';
import * as m0014 from './0014-case-events-by-type.ts';
import * as m0015 from './0015-audit-append-check.ts';
import * as m0016 from './0016-webhook-deliveries-by-partner.ts';

export const migrations: Record<string, Migration> = {
  '0001-partners': m0001,
  '0004-cases-consents': m0004,
  '0005-requests': m0005,
  '0006-breakglass-reviews': m0006,
  '0007-policy-lifecycle': m0007,
  '0011-reference-records': m0011,
  '0003-audit': m0003,
  '0012-review-webhooks': m0012,
  '0013-reviews-by-request': m0013,
  '0014-case-events-by-type': m0014,
  '0015-audit-append-check': m0015,
  '0016-webhook-deliveries-by-partner': m0016,
};

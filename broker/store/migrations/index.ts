// The ordered list of migrations; add a file and a line here, never edit one that has shipped.
import type { Migration } from 'kysely';
import * as m0001 from './0001-partners.ts';

export const migrations: Record<string, Migration> = {
  '0001-partners': m0001,
};

// The policy catalogue (policies/catalogue/data.json) as the broker's own code reads it: roles and who may do what.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const kindRole = z.object({ kind: z.string(), role: z.string() });

/** The parts of the catalogue the broker itself enforces outside Rego (case and consent administration). */
const catalogueSchema = z.object({
  categories: z.record(
    z.string(),
    z.object({
      holder_kind: z.string(),
      sensitivity: z.string(),
      fields: z.array(z.string()),
      minimal_fields: z.array(z.string()),
    }),
  ),
  purposes: z.unknown(),
  roles: z.record(z.string(), z.array(z.string())),
  permissions: z.object({
    open_case: z.array(kindRole),
    record_consent: z.array(kindRole),
    decide_review: z.array(kindRole),
    break_glass: z.array(kindRole),
  }),
});

export type Catalogue = z.infer<typeof catalogueSchema>;

/** Where the committed catalogue lives. */
export const DEFAULT_CATALOGUE_FILE = path.resolve(import.meta.dirname, '../policies/catalogue/data.json');

/**
 * Reads and validates the catalogue.
 *
 * @throws Error naming the file and the first invalid path (a start-up configuration error).
 */
export function loadCatalogue(file: string = DEFAULT_CATALOGUE_FILE): Catalogue {
  const parsed = catalogueSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`catalogue ${file} is invalid at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** True when (kind, role) is listed among the grants. */
export function isGranted(
  grants: readonly { kind: string; role: string }[],
  kind: string,
  role: string,
): boolean {
  return grants.some((g) => g.kind === kind && g.role === role);
}

/** True when the role is one the partner kind's users may act in. */
export function isRoleOfKind(catalogue: Catalogue, kind: string, role: string): boolean {
  return catalogue.roles[kind]?.includes(role) ?? false;
}

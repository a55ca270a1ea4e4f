// Production adapters from a JSON file: per holder partner, the HTTPS endpoint and the categories it answers.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Adapter } from './contract.ts';
import { createHttpAdapter } from './http.ts';

const fileSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  z
    .object({
      url: z.url({ protocol: /^https$/ }),
      categories: z.array(z.string().min(1)).min(1),
      timeoutMs: z.number().int().min(100).max(60_000).optional(),
    })
    .strict(),
);

/**
 * Reads the adapters file and builds an HTTP adapter per holder with the given mTLS fetch.
 *
 * @throws Error naming the file and the invalid entry (a start-up configuration error).
 */
export function loadConfiguredAdapters(
  file: string,
  mtlsFetch: typeof fetch,
): (holderPartnerId: string) => Adapter | undefined {
  const parsed = fileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`adapters file ${file} is invalid at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const adapters = new Map(
    Object.entries(parsed.data).map(([id, a]) => [
      id,
      createHttpAdapter({
        url: a.url,
        categories: a.categories,
        fetch: mtlsFetch,
        ...(a.timeoutMs === undefined ? {} : { timeoutMs: a.timeoutMs }),
      }),
    ]),
  );
  return (id) => adapters.get(id);
}

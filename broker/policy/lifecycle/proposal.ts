// What a privacy officer may propose: catalogue edits, edited Rego sources, or a signed bundle built elsewhere.
import { z } from 'zod';
import { catalogueEditSchema } from './catalogue-edits.ts';
import { REGO_FILE } from './sources.ts';

const description = z.string().trim().min(1).max(2000);

/** The body of `POST /v1/policies` (camelCase, unknown fields refused). */
export const proposalSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('catalogue'),
      description,
      edits: z.array(catalogueEditSchema).min(1).max(500),
    })
    .strict(),
  z
    .object({
      kind: z.literal('rego'),
      description,
      /** File name -> new content; null removes a policy file. Test files (`*_test.rego`) may be added too. */
      sources: z
        .record(
          z.string().regex(REGO_FILE, 'a top-level .rego file name'),
          z
            .string()
            .max(512 * 1024)
            .nullable(),
        )
        .refine((s) => Object.keys(s).length > 0, 'at least one file'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('bundle'),
      description,
      /** The signed bundle archive (gzipped tar, as `opa build` and `schakel policy sign` write it), base64. */
      bundle: z.base64().min(1),
    })
    .strict(),
]);
export type Proposal = z.infer<typeof proposalSchema>;

/** The body of `POST /v1/policies/{rev}/activate`: none, or `{}`, but always sent as application/json. */
export const activationSchema = z.object({}).strict();

/** The body of `POST /v1/policies/{rev}/approve`. */
export const approvalSchema = z
  .object({
    comment: z.string().trim().min(1).max(2000).optional(),
    /** Required when the proposal's tests fail: the approver has seen the failures and approves anyway. */
    acknowledgeFailingTests: z.boolean().optional(),
  })
  .strict();
export type ApprovalBody = z.infer<typeof approvalSchema>;

/** The body of `POST /v1/policies/{rev}/replay`. */
export const replaySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    limit: z.number().int().min(0).max(5000).optional(),
  })
  .strict();
export type ReplayBody = z.infer<typeof replaySchema>;

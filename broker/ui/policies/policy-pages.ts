// /ui/policies: the active revision and history, the rules and catalogue in force, the change forms, the Rego editor, bundle upload, approval, activation and rollback.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { NotFoundError, SchakelError, type FieldProblem } from '../../errors.ts';
import {
  proposalSchema,
  type PolicyLifecycle,
  type PolicySources,
  type Proposal,
  type ReplayResult,
  type RevisionDetail,
} from '../../policy/lifecycle/index.ts';
import { catalogueText, type CatalogueText } from '../catalogue-text.ts';
import { alert } from '../components.ts';
import { layout, type Html } from '../layout.ts';
import { pageContext, type PageContext } from '../page-context.ts';
import type { UiEnv, UiPage } from '../ui-env.ts';
import {
  CHANGE_FORMS,
  categoryForm,
  categoryValues,
  editFromForm,
  formProblems,
  legalBasisForm,
  legalBasisValues,
  matrixForm,
  type ChangeForm,
  type FormState,
} from './change-forms.ts';
import { formValues, type FormValues } from './form-fields.ts';
import { overviewBody } from './overview-view.ts';
import { regoForm, type RegoFormState } from './rego-form.ts';
import { ruleTextsOfSources, type RuleText } from './rego-metadata.ts';
import { revisionBody } from './revision-view.ts';
import { MAX_BUNDLE_BYTES, uploadForm } from './upload-form.ts';

const OFFICERS = ['privacy_officer'] as const;
const REVISION = /^[A-Za-z0-9._:-]{1,128}$/;
const REGO_FILE = /^[a-z][a-z0-9_]*\.rego$/;

export interface PolicyPagesDeps {
  readonly lifecycle: Pick<
    PolicyLifecycle,
    'list' | 'get' | 'propose' | 'approve' | 'replay' | 'activate' | 'activeSources' | 'sources'
  >;
}

const officerOf = (ctx: PageContext) => ({
  id: ctx.person.id,
  partnerId: ctx.person.partnerId,
  partnerKind: ctx.partner.kind,
});

/** A refusal of the service shown on the page with its stable code. */
const refusal = (error: SchakelError): Html =>
  alert(
    'error',
    html`<p class="utrecht-paragraph">${error.detail ?? error.title} (<code>${error.code}</code>)</p>`,
  );

/** Service refusals a page re-shows its form with (validation, conflicts, bad bundles); others propagate. */
function shownOnPage(error: unknown): error is SchakelError {
  return error instanceof SchakelError && error.status < 500 && error.code !== 'ERR_NOT_FOUND';
}

/**
 * The privacy officers' policy pages over the policy lifecycle service (the same one behind
 * /v1/policies): reading what is in force, proposing (catalogue forms, Rego source, signed bundle),
 * replay, approval (four eyes, holder's say), activation and rollback. Every refusal of the service
 * (own approval, missing approvals, bad signature) is shown with its stable code.
 */
export function policyPages(deps: PolicyPagesDeps): UiPage {
  const parsed = new Map<string, { catalogue: CatalogueText; rules: RuleText[]; sources: PolicySources }>();

  /** The catalogue and rules of the revision in force (parsed once per revision). */
  async function inForce() {
    const active = await deps.lifecycle.activeSources();
    let entry = parsed.get(active.revision);
    if (entry === undefined) {
      entry = {
        catalogue: catalogueText(active.sources.catalogue),
        rules: ruleTextsOfSources(active.sources.rego),
        sources: active.sources,
      };
      if (parsed.size >= 8) parsed.clear();
      parsed.set(active.revision, entry);
    }
    return entry;
  }

  function revisionOf(raw: string): string {
    if (!REVISION.test(raw)) throw new NotFoundError('No such revision.');
    return raw;
  }

  async function revisionPage(
    ctx: PageContext,
    revision: string,
    extra: { notice?: Html; replay?: ReplayResult } = {},
  ): Promise<Html> {
    const [detail, overview] = await Promise.all([deps.lifecycle.get(revision), deps.lifecycle.list()]);
    return layout(ctx, {
      title: ctx.t.policies.detailTitle(revision),
      body: revisionBody(ctx, overview, detail, extra),
    });
  }

  /** Runs an approve/activate and re-shows the revision with the outcome (a refusal with its code). */
  async function act(ctx: PageContext, revision: string, run: () => Promise<RevisionDetail>, done: string) {
    try {
      await run();
    } catch (error) {
      if (!shownOnPage(error)) throw error;
      return { status: error.status, page: await revisionPage(ctx, revision, { notice: refusal(error) }) };
    }
    return { status: 200, page: await revisionPage(ctx, revision, { notice: alert('ok', done) }) };
  }

  async function changePage(
    ctx: PageContext,
    query: { category?: string | undefined; basis?: string | undefined },
    posted?: { form: ChangeForm; state: FormState; notice?: Html },
  ): Promise<Html> {
    const { catalogue } = await inForce();
    const state = (form: ChangeForm, start: FormValues): FormState =>
      posted?.form === form ? posted.state : { values: start, problems: [] };
    return layout(ctx, {
      title: ctx.t.policies.proposeTitle,
      body: html`${posted?.notice ?? ''}
        ${
          posted !== undefined && posted.state.problems.length > 0
            ? alert(
                'error',
                html`<p class="utrecht-paragraph">${ctx.t.policies.fixFields}</p>
                  <ul class="utrecht-unordered-list">
                    ${posted.state.problems.map((p) => html`<li>${p.field}: ${p.message}</li>`)}
                  </ul>`,
              )
            : ''
        }
        ${matrixForm(ctx, catalogue, state('matrix', {}))}
        ${categoryForm(ctx, catalogue, state('category', categoryValues(catalogue, query.category ?? Object.keys(catalogue.categories)[0])))}
        ${legalBasisForm(ctx, catalogue, state('legal-basis', legalBasisValues(catalogue, query.basis ?? Object.keys(catalogue.legal_bases)[0])))}
        <p class="utrecht-paragraph">
          <a class="nl-link" href="/ui/policies">${ctx.t.policies.backToList}</a>
        </p>`,
    });
  }

  async function regoPage(ctx: PageContext, files: readonly string[], state: RegoFormState): Promise<Html> {
    return layout(ctx, { title: ctx.t.policies.editRego, body: regoForm(ctx, files, state) });
  }

  return {
    nav: { path: '/ui/policies', roles: [...OFFICERS], label: (t) => t.nav.policies ?? 'policies' },
    mount(ui: Hono<UiEnv>) {
      ui.get('/policies', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const [overview, force] = await Promise.all([deps.lifecycle.list(), inForce()]);
        return c.html(
          layout(ctx, {
            title: ctx.t.policies.title,
            body: overviewBody(ctx, overview, force.catalogue, force.rules),
          }),
        );
      });

      ui.get('/policies/new', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        return c.html(
          await changePage(ctx, { category: c.req.query('category'), basis: c.req.query('basis') }),
        );
      });

      for (const form of CHANGE_FORMS) {
        ui.post(`/policies/new/${form}`, async (c) => {
          const ctx = pageContext(c, OFFICERS);
          const values = formValues(await c.req.parseBody());
          const query = { category: values.category, basis: values.code };
          const read = editFromForm(form, values, ctx.t.policies.required);
          if (!read.ok) {
            return c.html(
              await changePage(ctx, query, { form, state: { values, problems: read.problems } }),
              422,
            );
          }
          try {
            const proposed = await deps.lifecycle.propose(officerOf(ctx), {
              kind: 'catalogue',
              description: read.description,
              edits: [read.edit],
            });
            return c.redirect(`/ui/policies/${encodeURIComponent(proposed.revision)}`, 303);
          } catch (error) {
            if (!shownOnPage(error)) throw error;
            const problems: FieldProblem[] = formProblems(error.errors ?? []);
            const page = await changePage(ctx, query, {
              form,
              state: { values, problems },
              notice: refusal(error),
            });
            return c.html(page, error.status as 422);
          }
        });
      }

      ui.get('/policies/new/rego', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const from = c.req.query('from');
        const sources =
          from === undefined ? (await inForce()).sources : await deps.lifecycle.sources(revisionOf(from));
        if (sources === undefined) throw new NotFoundError('No such revision.');
        const files = Object.keys(sources.rego).sort();
        const asked = c.req.query('file');
        const file =
          asked !== undefined && files.includes(asked)
            ? asked
            : files.includes('decision.rego')
              ? 'decision.rego'
              : files[0];
        if (file === undefined) throw new NotFoundError('The revision has no Rego files.');
        return c.html(
          await regoPage(ctx, files, { file, values: { source: sources.rego[file] ?? '' }, problems: [] }),
        );
      });

      ui.post('/policies/new/rego', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const { t } = ctx;
        const values = formValues(await c.req.parseBody());
        const files = Object.keys((await inForce()).sources.rego).sort();
        const file = values.file ?? '';
        if (!REGO_FILE.test(file) || !files.includes(file)) throw new NotFoundError('No such policy file.');
        // Browsers post textarea lines with CRLF; Rego sources use LF.
        const source = (values.source ?? '').replace(/\r\n?/g, '\n');
        const kept = { ...values, source };
        const problems: FieldProblem[] = [];
        if (source.trim() === '') problems.push({ field: 'source', message: t.policies.required });
        if ((values.description ?? '').trim() === '')
          problems.push({ field: 'description', message: t.policies.required });
        const proposal = proposalSchema.safeParse({
          kind: 'rego',
          description: (values.description ?? '').trim(),
          sources: { [file]: source },
        });
        if (problems.length > 0 || !proposal.success) {
          return c.html(await regoPage(ctx, files, { file, values: kept, problems }), 422);
        }
        let detail: RevisionDetail;
        try {
          detail = await deps.lifecycle.propose(officerOf(ctx), proposal.data);
        } catch (error) {
          if (!shownOnPage(error)) throw error;
          return c.html(
            await regoPage(ctx, files, {
              file,
              values: kept,
              problems: formProblems(error.errors ?? []).filter((p) => p.field === 'description'),
              notice: refusal(error),
            }),
            error.status as 422,
          );
        }
        if (detail.build.ok && detail.build.test.ok) {
          return c.redirect(`/ui/policies/${encodeURIComponent(detail.revision)}`, 303);
        }
        // Re-show the source as entered, with opa's errors and failing tests beside it.
        return c.html(
          await regoPage(ctx, files, {
            file,
            values: kept,
            problems: [],
            build: { report: detail.build, revision: detail.revision },
          }),
          422,
        );
      });

      ui.get('/policies/new/bundle', (c) => {
        const ctx = pageContext(c, OFFICERS);
        return c.html(
          layout(ctx, {
            title: ctx.t.policies.uploadBundle,
            body: uploadForm(ctx, { values: {}, problems: [] }),
          }),
        );
      });

      ui.post('/policies/new/bundle', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const { t } = ctx;
        const form = await c.req.parseBody();
        const values = formValues(form);
        const file = form.bundle;
        const problems: FieldProblem[] = [];
        if (!(file instanceof File) || file.size === 0)
          problems.push({ field: 'bundle', message: t.policies.required });
        else if (file.size > MAX_BUNDLE_BYTES)
          problems.push({ field: 'bundle', message: `> ${MAX_BUNDLE_BYTES} bytes` });
        if ((values.description ?? '').trim() === '')
          problems.push({ field: 'description', message: t.policies.required });
        const reshow = (status: 409 | 422, extra: { problems: FieldProblem[]; notice?: Html }) =>
          c.html(
            layout(ctx, { title: t.policies.uploadBundle, body: uploadForm(ctx, { values, ...extra }) }),
            status,
          );
        if (problems.length > 0 || !(file instanceof File)) return reshow(422, { problems });
        const proposal: Proposal = {
          kind: 'bundle',
          description: values.description!.trim(),
          bundle: Buffer.from(await file.arrayBuffer()).toString('base64'),
        };
        try {
          const proposed = await deps.lifecycle.propose(officerOf(ctx), proposal);
          return c.redirect(`/ui/policies/${encodeURIComponent(proposed.revision)}`, 303);
        } catch (error) {
          if (!shownOnPage(error)) throw error;
          return reshow(error.status === 409 ? 409 : 422, { problems: [], notice: refusal(error) });
        }
      });

      ui.get('/policies/:rev', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        return c.html(await revisionPage(ctx, revisionOf(c.req.param('rev'))));
      });

      ui.post('/policies/:rev/approve', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const rev = revisionOf(c.req.param('rev'));
        const values = formValues(await c.req.parseBody());
        const body = values.acknowledgeFailingTests === 'true' ? { acknowledgeFailingTests: true } : {};
        const r = await act(
          ctx,
          rev,
          () => deps.lifecycle.approve(officerOf(ctx), rev, body),
          ctx.t.policies.approved,
        );
        return c.html(r.page, r.status as 200);
      });

      ui.post('/policies/:rev/activate', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const rev = revisionOf(c.req.param('rev'));
        const r = await act(
          ctx,
          rev,
          () => deps.lifecycle.activate(officerOf(ctx), rev),
          ctx.t.policies.activated,
        );
        return c.html(r.page, r.status as 200);
      });

      ui.post('/policies/:rev/replay', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const rev = revisionOf(c.req.param('rev'));
        const result = await deps.lifecycle.replay(officerOf(ctx), rev, {});
        return c.html(await revisionPage(ctx, rev, { replay: result }));
      });
    },
  };
}

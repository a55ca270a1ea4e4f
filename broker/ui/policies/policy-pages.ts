// /ui/policies: the active revision and history, the rules and catalogue in plain language, and the change workflow.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { NotFoundError, SchakelError } from '../../errors.ts';
import type { PolicyLifecycle, RevisionDetail } from '../../policy/lifecycle/index.ts';
import type { ReplayResult } from '../../policy/lifecycle/index.ts';
import { titleOf, type CatalogueText } from '../catalogue-text.ts';
import { alert, badge } from '../components.ts';
import { csrfField, layout, type Html } from '../layout.ts';
import { pageContext, type PageContext } from '../page-context.ts';
import type { UiEnv, UiPage } from '../ui-env.ts';
import { categoriesTable, legalBasesTable, matrixTable, rulesTable } from './policy-tables.ts';
import type { RuleText } from './rego-metadata.ts';

const OFFICERS = ['privacy_officer'] as const;
const REVISION = /^[A-Za-z0-9._:-]{1,128}$/;

export interface PolicyPagesDeps {
  readonly lifecycle: Pick<PolicyLifecycle, 'list' | 'get' | 'propose' | 'approve' | 'replay' | 'activate'>;
  readonly catalogue: CatalogueText;
  readonly rules: readonly RuleText[];
}

const officerOf = (ctx: PageContext) => ({
  id: ctx.person.id,
  partnerId: ctx.person.partnerId,
  partnerKind: ctx.partner.kind,
});

function button(
  ctx: PageContext,
  action: string,
  label: string,
  kind: 'primary' | 'secondary' = 'primary',
): Html {
  return html`<form method="post" action="${action}" class="schakel-inline-form">
    ${csrfField(ctx)}
    <button type="submit" class="utrecht-button utrecht-button--${kind}-action utrecht-button--submit">
      ${label}
    </button>
  </form>`;
}

function select(id: string, name: string, label: string, options: readonly [string, string][]): Html {
  return html`<div class="utrecht-form-field">
    <label class="utrecht-form-label" for="${id}">${label}</label>
    <select class="utrecht-select utrecht-select--html-select" id="${id}" name="${name}">
      ${options.map(([value, text]) => html`<option value="${value}">${text}</option>`)}
    </select>
  </div>`;
}

function proposeForm(ctx: PageContext, catalogue: CatalogueText): Html {
  const { t } = ctx;
  return html`<section class="schakel-section" aria-labelledby="propose-heading">
    <h2 class="nl-heading nl-heading--level-2" id="propose-heading">${t.policies.propose}</h2>
    <p class="utrecht-paragraph">${t.policies.proposeHint}</p>
    <form method="post" action="/ui/policies">
      ${csrfField(ctx)}
      ${select(
        'cell-kind',
        'requesterKind',
        t.policies.requester,
        Object.keys(catalogue.matrix).map((k) => [k, k]),
      )}
      ${select(
        'cell-purpose',
        'purpose',
        t.policies.purpose,
        Object.keys(catalogue.purposes).map((p) => [p, titleOf(catalogue.purposes, p, ctx.lang)]),
      )}
      ${select(
        'cell-category',
        'category',
        t.policies.category,
        Object.keys(catalogue.categories).map((c) => [
          c,
          `${titleOf(catalogue.categories, c, ctx.lang)} (${c})`,
        ]),
      )}
      <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset">
        <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
          ${t.policies.cellLegend}
        </legend>
        ${(
          [
            ['true', t.policies.allowed],
            ['false', t.policies.disallowed],
          ] as const
        ).map(
          ([value, label]) =>
            html`<div class="utrecht-form-field utrecht-form-field--radio schakel-choice">
              <input
                class="utrecht-radio-button utrecht-radio-button--html-input"
                type="radio"
                id="cell-allowed-${value}"
                name="allowed"
                value="${value}"
              />
              <label class="utrecht-form-label utrecht-form-label--radio" for="cell-allowed-${value}"
                >${label}</label
              >
            </div>`,
        )}
      </fieldset>
      <div class="utrecht-form-field">
        <label class="utrecht-form-label" for="cell-description">${t.policies.description}</label>
        <textarea
          class="utrecht-textarea utrecht-textarea--html-textarea"
          id="cell-description"
          name="description"
          rows="2"
          maxlength="2000"
        ></textarea>
      </div>
      <button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--submit">
        ${t.policies.submitProposal}
      </button>
    </form>
  </section>`;
}

function buildReport(ctx: PageContext, detail: RevisionDetail): Html {
  const { t } = ctx;
  const b = detail.build;
  if (b.ok && b.test.ok) return alert('ok', t.policies.buildOk(b.test.passed));
  const lines = [
    ...b.check.errors.map((e) => `${e.file ?? ''}${e.row === undefined ? '' : `:${e.row}`} ${e.message}`),
    ...b.test.errors.map((e) => `${e.file ?? ''}${e.row === undefined ? '' : `:${e.row}`} ${e.message}`),
    ...b.test.failures.map((f) => `${f.package}.${f.name}${f.output === undefined ? '' : `: ${f.output}`}`),
  ];
  return alert(
    'error',
    html`<p class="utrecht-paragraph">${t.policies.buildFailed}</p>
      <ul class="utrecht-unordered-list">
        ${lines.map((l) => html`<li><code>${l}</code></li>`)}
      </ul>`,
  );
}

function approvals(ctx: PageContext, detail: RevisionDetail): Html {
  const { t } = ctx;
  const a = detail.approval;
  return html`<ul class="utrecht-unordered-list">
      ${a.approvals.map((x) => html`<li>${t.policies.approvedBy(x.personId, x.partnerId, t.common.dateTime(x.approvedAt))}</li>`)}
    </ul>
    ${a.secondOfficer ? '' : html`<p class="utrecht-paragraph">${t.policies.needSecond}</p>`}
    ${
      a.missingHolderKinds.length === 0
        ? ''
        : html`<p class="utrecht-paragraph">${t.policies.needHolder(a.missingHolderKinds.join(', '))}</p>`
    }
    ${a.satisfied ? html`<p class="utrecht-paragraph">${t.policies.approvalsComplete}</p>` : ''}`;
}

function replayTables(ctx: PageContext, r: ReplayResult): Html {
  const { t } = ctx;
  const simple = (caption: string, head: string[], rows: (string | number)[][]) =>
    html`<div class="schakel-table-wrap">
      <table class="utrecht-table utrecht-table--html-table">
        <caption class="utrecht-table__caption">
          ${caption}
        </caption>
        <thead class="utrecht-table__header">
          <tr class="utrecht-table__row">
            ${head.map((h) => html`<th scope="col" class="utrecht-table__header-cell">${h}</th>`)}
          </tr>
        </thead>
        <tbody class="utrecht-table__body">
          ${rows.map(
            (row) =>
              html`<tr class="utrecht-table__row">
                ${row.map((cell) => html`<td class="utrecht-table__cell">${String(cell)}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  return html`<p class="utrecht-paragraph" id="replay-total">${t.policies.replayTotal(r.total, r.changed)}</p>
    ${simple(
      t.policies.replay,
      [t.policies.outcomeChange, t.policies.count],
      r.changes.map((c) => [`${c.from} → ${c.to}`, c.count]),
    )}
    ${simple(
      t.policies.byCategory,
      [t.policies.category, 'total', t.policies.count],
      r.byCategory.map((c) => [c.key, c.total, c.changed]),
    )}
    ${simple(
      t.policies.byPartner,
      [t.policies.requester, 'total', t.policies.count],
      r.byRequester.map((c) => [c.key, c.total, c.changed]),
    )}
    ${simple(
      t.policies.holder,
      [t.policies.holder, 'total', t.policies.count],
      r.byHolder.map((c) => [c.key, c.total, c.changed]),
    )}
    ${simple(
      t.policies.changedDecisions,
      [
        t.policies.decidedAt,
        t.policies.requester,
        t.policies.holder,
        t.policies.category,
        t.policies.purpose,
        t.policies.outcomeChange,
      ],
      r.decisions.map((d) => [
        t.common.dateTime(d.decidedAt),
        d.requester,
        d.holder,
        d.category,
        d.purpose,
        `${d.from} → ${d.to}`,
      ]),
    )}`;
}

/**
 * The privacy officers' policy pages over the policy lifecycle service (the same one behind
 * /v1/policies): reading, proposing a matrix change, replay, approval (four eyes, holder's say),
 * activation and rollback. Every refusal of the service (own approval, missing approvals) is shown
 * with its stable code.
 */
export function policyPages(deps: PolicyPagesDeps): UiPage {
  function revisionOf(raw: string): string {
    if (!REVISION.test(raw)) throw new NotFoundError('No such revision.');
    return raw;
  }

  async function detailPage(ctx: PageContext, revision: string, extra?: Html): Promise<Html> {
    const { t } = ctx;
    const detail = await deps.lifecycle.get(revision);
    const overview = await deps.lifecycle.list();
    const isActive = overview.active?.revision === revision;
    const base = `/ui/policies/${encodeURIComponent(revision)}`;
    return layout(ctx, {
      title: t.policies.detailTitle(revision),
      body: html`${extra ?? ''}
        <p class="utrecht-paragraph">${detail.description}</p>
        <p class="utrecht-paragraph">
          ${t.policies.status}: ${badge(t.policies.statuses[detail.status] ?? detail.status)}
        </p>
        <h2 class="nl-heading nl-heading--level-2">${t.policies.build}</h2>
        ${buildReport(ctx, detail)}
        <h2 class="nl-heading nl-heading--level-2">${t.policies.changes}</h2>
        <ul class="utrecht-unordered-list">
          ${[...detail.changes.catalogue, ...detail.changes.rego].map((c) => html`<li>${c}</li>`)}
        </ul>
        <h2 class="nl-heading nl-heading--level-2">${t.policies.replay}</h2>
        ${detail.replay === null ? '' : html`<p class="utrecht-paragraph">${t.policies.replayTotal(detail.replay.total, detail.replay.changed)}</p>`}
        ${button(ctx, `${base}/replay`, t.policies.replayRun, 'secondary')}
        <h2 class="nl-heading nl-heading--level-2">${t.policies.approvals}</h2>
        ${approvals(ctx, detail)} ${isActive ? '' : button(ctx, `${base}/approve`, t.policies.approve)}
        ${
          isActive
            ? ''
            : button(
                ctx,
                `${base}/activate`,
                detail.activations.length > 0 ? t.policies.rollback : t.policies.activate,
              )
        }
        <p class="utrecht-paragraph"><a class="nl-link" href="/ui/policies">${t.policies.backToList}</a></p>`,
    });
  }

  /** Service refusals the officer should see on the page (own approval, approvals missing, ...). */
  async function orRefusal(ctx: PageContext, revision: string, run: () => Promise<unknown>, done: string) {
    try {
      await run();
    } catch (error) {
      if (!(error instanceof SchakelError) || error.status >= 500 || error.code === 'ERR_NOT_FOUND')
        throw error;
      const shown = alert(
        'error',
        html`<p class="utrecht-paragraph">${error.detail ?? error.title} (<code>${error.code}</code>)</p>`,
      );
      return { status: error.status, page: await detailPage(ctx, revision, shown) };
    }
    return { status: 200, page: await detailPage(ctx, revision, alert('ok', done)) };
  }

  return {
    nav: { path: '/ui/policies', roles: [...OFFICERS], label: (t) => t.nav.policies ?? 'policies' },
    mount(ui: Hono<UiEnv>) {
      ui.get('/policies', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const { t } = ctx;
        const overview = await deps.lifecycle.list();
        const active = overview.active;
        return c.html(
          layout(ctx, {
            title: t.policies.title,
            body: html`<p class="utrecht-paragraph">${t.policies.intro}</p>
              <h2 class="nl-heading nl-heading--level-2">${t.policies.active}</h2>
              <p class="utrecht-paragraph" id="active-revision">
                ${
                  active === null
                    ? t.common.none
                    : html`<a class="nl-link" href="/ui/policies/${encodeURIComponent(active.revision)}"
                          >${active.revision}</a
                        >
                        ${
                          active.activatedBy === null || active.activatedAt === null
                            ? ''
                            : t.policies.activatedBy(
                                active.activatedBy,
                                t.common.dateTime(active.activatedAt),
                              )
                        }`
                }
              </p>
              ${proposeForm(ctx, deps.catalogue)}
              <h2 class="nl-heading nl-heading--level-2">${t.policies.history}</h2>
              <div class="schakel-table-wrap">
                <table class="utrecht-table utrecht-table--html-table">
                  <caption class="utrecht-table__caption">
                    ${t.policies.history}
                  </caption>
                  <thead class="utrecht-table__header">
                    <tr class="utrecht-table__row">
                      ${[
                        t.policies.revision,
                        t.policies.description,
                        t.policies.author,
                        t.policies.created,
                        t.policies.status,
                      ].map((h) => html`<th scope="col" class="utrecht-table__header-cell">${h}</th>`)}
                    </tr>
                  </thead>
                  <tbody class="utrecht-table__body">
                    ${overview.revisions.map(
                      (r) =>
                        html`<tr class="utrecht-table__row">
                          <th scope="row" class="utrecht-table__header-cell">
                            <a class="nl-link" href="/ui/policies/${encodeURIComponent(r.revision)}"
                              >${r.revision}</a
                            >
                          </th>
                          <td class="utrecht-table__cell">${r.description}</td>
                          <td class="utrecht-table__cell">${r.author}</td>
                          <td class="utrecht-table__cell">${t.common.dateTime(r.createdAt)}</td>
                          <td class="utrecht-table__cell">${t.policies.statuses[r.status] ?? r.status}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              <h2 class="nl-heading nl-heading--level-2">${t.policies.rules}</h2>
              ${rulesTable(ctx, deps.rules)}
              <h2 class="nl-heading nl-heading--level-2">${t.policies.categories}</h2>
              ${categoriesTable(ctx, deps.catalogue)}
              <h2 class="nl-heading nl-heading--level-2">${t.policies.matrix}</h2>
              ${matrixTable(ctx, deps.catalogue)}
              <h2 class="nl-heading nl-heading--level-2">${t.policies.legalBases}</h2>
              ${legalBasesTable(ctx, deps.catalogue)}`,
          }),
        );
      });

      ui.post('/policies', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const form = await c.req.parseBody();
        const cell = z
          .object({
            requesterKind: z.string().min(1),
            purpose: z.string().min(1),
            category: z.string().min(1),
            allowed: z.enum(['true', 'false']),
            description: z.string().trim().min(1).max(2000),
          })
          .safeParse(form);
        if (!cell.success) {
          throw new NotFoundError('Fill in every field of the proposal.');
        }
        const proposed = await deps.lifecycle.propose(officerOf(ctx), {
          kind: 'catalogue',
          description: cell.data.description,
          edits: [
            {
              op: 'matrix',
              requesterKind: cell.data.requesterKind,
              purpose: cell.data.purpose,
              category: cell.data.category,
              allowed: cell.data.allowed === 'true',
            },
          ],
        });
        return c.redirect(`/ui/policies/${encodeURIComponent(proposed.revision)}`, 303);
      });

      ui.get('/policies/:rev', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        return c.html(await detailPage(ctx, revisionOf(c.req.param('rev'))));
      });

      ui.post('/policies/:rev/approve', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const rev = revisionOf(c.req.param('rev'));
        const r = await orRefusal(
          ctx,
          rev,
          () => deps.lifecycle.approve(officerOf(ctx), rev, {}),
          ctx.t.policies.approved,
        );
        return c.html(r.page, r.status as 200);
      });

      ui.post('/policies/:rev/activate', async (c) => {
        const ctx = pageContext(c, OFFICERS);
        const rev = revisionOf(c.req.param('rev'));
        const r = await orRefusal(
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
        return c.html(await detailPage(ctx, rev, replayTables(ctx, result)));
      });
    },
  };
}

// One revision's page: build and tests, changes, replay impact, approvals, and activate or roll back.
import { html } from 'hono/html';
import type {
  PolicyOverview,
  ReplayResult,
  RevisionDetail,
  RevisionSummary,
} from '../../policy/lifecycle/index.ts';
import { alert, badge } from '../components.ts';
import type { Html } from '../layout.ts';
import type { PageContext } from '../page-context.ts';
import { actionButton } from './form-fields.ts';
import { sourceProblems } from './rego-form.ts';

/** Whether a revision was in force at some time before (the start-up revision always was). */
export function wasActive(overview: PolicyOverview, revision: RevisionSummary): boolean {
  return (
    revision.kind === 'baseline' ||
    overview.activations.some(
      (a) => a.revision === revision.revision || a.previousRevision === revision.revision,
    )
  );
}

/** The status word of a revision: active, earlier active (a rollback target), built, failed. */
export function statusText(ctx: PageContext, overview: PolicyOverview, r: RevisionSummary): string {
  const { t } = ctx;
  if (r.status === 'active') return t.policies.statuses.active ?? r.status;
  if (wasActive(overview, r)) return t.policies.earlier;
  return t.policies.statuses[r.status] ?? r.status;
}

/** How a revision is described to people: the start-up revision gets a name instead of its stored English note. */
export function revisionDescription(ctx: PageContext, r: RevisionSummary): string {
  return r.kind === 'baseline'
    ? `${ctx.t.policies.baselineName}: ${ctx.t.policies.baselineDescription}`
    : r.description;
}

/** Who made a revision (`system` for the start-up revision). */
export function authorText(ctx: PageContext, r: RevisionSummary): string {
  return r.author === 'system' ? ctx.t.policies.system : r.author;
}

function buildReport(ctx: PageContext, detail: RevisionDetail): Html {
  const { t } = ctx;
  const b = detail.build;
  if (b.uploaded !== undefined || detail.kind === 'baseline') return html``;
  if (b.ok && b.test.ok) return alert('ok', t.policies.buildOk(b.test.passed));
  const problems = sourceProblems(b, t);
  return alert(
    'error',
    html`<p class="utrecht-paragraph">${t.policies.buildFailed}</p>
      <ul class="utrecht-unordered-list">
        ${problems.map(
          (p) =>
            html`<li>
              ${
                p.file === undefined
                  ? ''
                  : html`<strong>${p.row === undefined ? p.file : t.policies.line(p.file, p.row)}</strong>`
              }
              <pre class="schakel-problem__text">${p.text}</pre>
            </li>`,
        )}
      </ul>`,
  );
}

function approvals(ctx: PageContext, detail: RevisionDetail): Html {
  const { t } = ctx;
  const a = detail.approval;
  return html`<ul class="utrecht-unordered-list">
      ${a.approvals.map(
        (x) =>
          html`<li>${t.policies.approvedBy(x.personId, x.partnerId, t.common.dateTime(x.approvedAt))}</li>`,
      )}
    </ul>
    ${a.secondOfficer ? '' : html`<p class="utrecht-paragraph">${t.policies.needSecond}</p>`}
    ${
      a.missingHolderKinds.length === 0
        ? ''
        : html`<p class="utrecht-paragraph">${t.policies.needHolder(a.missingHolderKinds.join(', '))}</p>`
    }
    ${a.satisfied ? html`<p class="utrecht-paragraph">${t.policies.approvalsComplete}</p>` : ''}`;
}

function simpleTable(caption: string, head: readonly string[], rows: readonly (string | number)[][]): Html {
  return html`<div class="schakel-table-wrap">
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
}

/** The replay impact: counts per outcome change, per category, requester and holder, and the changed decisions. */
export function replayTables(ctx: PageContext, r: ReplayResult): Html {
  const { t } = ctx;
  return html`<section class="schakel-section" aria-labelledby="replay-result-heading">
    <h2 class="nl-heading nl-heading--level-2" id="replay-result-heading">${t.policies.replayResult}</h2>
    <p class="utrecht-paragraph" id="replay-total">${t.policies.replayTotal(r.total, r.changed)}</p>
    ${simpleTable(
      t.policies.outcomeChange,
      [t.policies.outcomeChange, t.policies.count],
      r.changes.map((c) => [`${c.from} → ${c.to}`, c.count]),
    )}
    ${simpleTable(
      t.policies.byCategory,
      [t.policies.category, 'total', t.policies.count],
      r.byCategory.map((c) => [c.key, c.total, c.changed]),
    )}
    ${simpleTable(
      t.policies.byPartner,
      [t.policies.requester, 'total', t.policies.count],
      r.byRequester.map((c) => [c.key, c.total, c.changed]),
    )}
    ${simpleTable(
      t.policies.holder,
      [t.policies.holder, 'total', t.policies.count],
      r.byHolder.map((c) => [c.key, c.total, c.changed]),
    )}
    ${simpleTable(
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
    )}
  </section>`;
}

/**
 * The body of a revision's page. An earlier revision (the start-up one, or one that was active
 * before) offers "roll back to this revision", which goes through the same approvals as activation.
 */
export function revisionBody(
  ctx: PageContext,
  overview: PolicyOverview,
  detail: RevisionDetail,
  extra: { notice?: Html; replay?: ReplayResult } = {},
): Html {
  const { t } = ctx;
  const isActive = overview.active?.revision === detail.revision;
  const earlier = !isActive && wasActive(overview, detail);
  const base = `/ui/policies/${encodeURIComponent(detail.revision)}`;
  const testsFail =
    detail.build.uploaded === undefined && detail.kind !== 'baseline' && !detail.build.test.ok;
  const acknowledge = testsFail
    ? html`<div class="utrecht-form-field utrecht-form-field--checkbox">
        <input
          class="utrecht-checkbox utrecht-checkbox--html-input"
          type="checkbox"
          id="acknowledge-tests"
          name="acknowledgeFailingTests"
          value="true"
        />
        <label class="utrecht-form-label utrecht-form-label--checkbox" for="acknowledge-tests"
          >${t.policies.acknowledgeTests}</label
        >
      </div>`
    : '';
  const canApprove = !isActive && detail.build.ok;
  return html`${extra.notice ?? ''}
    <p class="utrecht-paragraph">${revisionDescription(ctx, detail)}</p>
    <p class="utrecht-paragraph">
      ${t.policies.status}: ${badge(statusText(ctx, overview, detail))} · ${t.policies.author}:
      ${authorText(ctx, detail)}
    </p>
    ${isActive ? html`<p class="utrecht-paragraph">${t.policies.activeNow}</p>` : ''}
    <h2 class="nl-heading nl-heading--level-2">${t.policies.build}</h2>
    ${buildReport(ctx, detail)}
    ${
      detail.kind === 'rego' || detail.kind === 'baseline' || detail.kind === 'bundle'
        ? html`<p class="utrecht-paragraph">
            <a class="nl-link" href="/ui/policies/new/rego?from=${encodeURIComponent(detail.revision)}"
              >${t.policies.openSource}</a
            >
          </p>`
        : ''
    }
    <h2 class="nl-heading nl-heading--level-2">${t.policies.changes}</h2>
    <ul class="utrecht-unordered-list">
      ${[...detail.changes.catalogue, ...detail.changes.rego].map((c) => html`<li><code>${c}</code></li>`)}
    </ul>
    <h2 class="nl-heading nl-heading--level-2">${t.policies.replay}</h2>
    ${
      detail.replay === null || extra.replay !== undefined
        ? ''
        : html`<p class="utrecht-paragraph">
            ${t.policies.replayTotal(detail.replay.total, detail.replay.changed)}
          </p>`
    }
    ${isActive || !detail.build.ok ? '' : actionButton(ctx, `${base}/replay`, t.policies.replayRun, 'secondary')}
    ${extra.replay === undefined ? '' : replayTables(ctx, extra.replay)}
    ${
      earlier
        ? html`<h2 class="nl-heading nl-heading--level-2" id="rollback-heading">
              ${t.policies.rollbackTitle}
            </h2>
            <p class="utrecht-paragraph">${t.policies.rollbackHint}</p>`
        : html`<h2 class="nl-heading nl-heading--level-2">${t.policies.approvals}</h2>`
    }
    ${isActive ? '' : approvals(ctx, detail)}
    ${canApprove ? actionButton(ctx, `${base}/approve`, t.policies.approve, 'primary', acknowledge) : ''}
    ${
      canApprove
        ? actionButton(
            ctx,
            `${base}/activate`,
            earlier ? t.policies.rollback : t.policies.activate,
            earlier ? 'secondary' : 'primary',
          )
        : ''
    }
    <p class="utrecht-paragraph"><a class="nl-link" href="/ui/policies">${t.policies.backToList}</a></p>`;
}

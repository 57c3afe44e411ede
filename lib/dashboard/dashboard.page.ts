import { MAX_REASON_CHARS } from './dashboard.constants.js';
import { CLIENT_TEXT, PAGE_TEXT } from './dashboard.messages.js';
import { renderDocument, type PageOptions } from './dashboard.layout.js';
import type {
  ClusterView,
  DashboardState,
  JobView,
  ListQuery,
} from './interfaces/dashboard-api.interface.js';
import { escapeHtml as esc } from './html-escape.js';

const T = PAGE_TEXT;

/** The list page, rendered on the server for the query; the script keeps it up to date. */
export function renderPage(state: DashboardState, options: PageOptions): string {
  const columns = options.readOnly ? T.columns : [...T.columns, T.actions];
  const jobs = state.jobs.map((job) => renderJob(job, options)).join('\n');
  const body = `<header>
<h1>${esc(T.title)}</h1>
${renderCluster(state.cluster)}
<p>${esc(T.replicas)} <span class="by">(${esc(T.replicasHead)})</span></p>
<ul class="replicas" data-replicas></ul><p class="by" data-no-replicas>${esc(T.noReplicas)}</p>
<p>${esc(T.timesLocal)} <span data-refresh role="status"></span></p>
</header>
<figure class="chart" data-chart="rate" aria-label="${esc(T.rate)}"><h2>${esc(T.rate)}</h2></figure>
${renderForm(state.query, state.counts)}
<table data-jobs>
<thead><tr>${columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead>
${jobs}
</table>
<p data-empty${state.jobs.length ? ' hidden' : ''}>${esc(T.empty)}</p>
${renderPager()}
<template id="job-template">${renderJob(undefined, options)}</template>`;
  return renderDocument(T.title, body, { ...options, page: 'list', now: state.now });
}

function select<K extends string>(
  name: string,
  label: string,
  labels: Record<K, string>,
  chosen: K,
  counts?: Record<K, number>,
): string {
  const options = (Object.keys(labels) as K[]).map((value) => {
    const text = counts ? `${labels[value]} (${counts[value]})` : labels[value];
    const count = counts ? ` data-count data-label="${esc(labels[value])}"` : '';
    const picked = value === chosen ? ' selected' : '';
    return `<option value="${esc(value)}"${count}${picked}>${esc(text)}</option>`;
  });
  return `<label>${esc(label)} <select name="${name}">${options.join('')}</select></label>`;
}

/** Search, filter and sort: a GET form, so it works without the script too. */
function renderForm(query: ListQuery, counts: DashboardState['counts']): string {
  return `<form class="filters" method="get" role="search" data-list-form>
<label>${esc(T.search)} <input type="search" name="q" value="${esc(query.q)}" maxlength="200"></label>
${select('state', T.stateFilter, T.states, query.state, counts)}
${select('sort', T.sortBy, T.sorts, query.sort)}
${select('dir', T.order, T.orders, query.dir)}
<input type="hidden" name="size" value="${query.size}">
<input type="submit" value="${esc(T.apply)}">
</form>`;
}

/** Filled in by the script from the state's page and total. */
export function renderPager(): string {
  return `<nav class="pager" aria-label="${esc(T.pages)}">
<a data-page-prev rel="prev" hidden>${esc(T.previous)}</a>
<span data-page-info></span>
<a data-page-next rel="next" hidden>${esc(T.next)}</a></nav>`;
}

const none = CLIENT_TEXT.none;
const link = (base: string, name: string | undefined): string =>
  name === undefined ? '' : esc(`${base}/job/${encodeURIComponent(name)}`);
const text = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? none : esc(value);

/** A time cell: absolute (the script rewrites it in the browser's zone) and relative. */
export function when(field: 'nextRunAt' | 'lastRunAt', iso: string | null | undefined): string {
  const at = iso ? `${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : none;
  const time = `<time data-time="${field}" datetime="${esc(iso ?? '')}">${esc(at)}</time>`;
  return `<div class="when">${time}\n<div class="rel" data-rel></div></div>`;
}

/**
 * One job: a <tbody> of rows (the job, its last error). `job` undefined renders the empty
 * <template> the script clones for a job that appears later.
 */
export function renderJob(job: JobView | undefined, options: PageOptions): string {
  const { readOnly } = options;
  const span = T.columns.length + (readOnly ? 0 : 1);
  const name = esc(job?.name ?? '');
  return `<tbody class="job" data-job="${name}" data-state="${esc(job?.state ?? '')}">
<tr>
<th scope="row"><a data-job-link href="${link(options.base, job?.name)}" data-field="name">${text(job?.name)}</a></th>
<td><div data-field="scheduleWords">${text(job?.scheduleWords)}</div>
<code data-field="scheduleText">${text(job?.scheduleText)}</code></td>
<td data-field="timeZone">${text(job?.timeZone)}</td>
<td><span class="badge" data-field="state">${text(job?.state)}</span></td>
<td>${when('nextRunAt', job?.nextRunAt)}</td>
<td>${when('lastRunAt', job?.lastRunAt)}
<div><span class="badge" data-field="lastStatus" data-status="${esc(job?.lastStatus ?? '')}">
${text(job?.lastStatus)}</span>
<span data-field="lastDuration">${text(job?.lastDuration)}</span></div>
<div class="by" data-field="lastRunBy">${text(job?.lastRunBy)}</div></td>
<td class="num" data-field="runs">${text(job?.runs)}</td>
<td class="num" data-field="failures">${text(job?.failures)}</td>
${readOnly ? '' : renderActions(job)}
</tr>
<tr class="error" data-error-row${job?.lastError ? '' : ' hidden'}><td colspan="${span}">
<details><summary>${esc(T.lastError)}
<span data-field="lastError">${text(job?.lastError)}</span></summary>
<pre data-field="lastErrorStack">${text(job?.lastErrorStack)}</pre></details></td></tr>
</tbody>`;
}

/** Trigger (with params), pause and resume (with a reason), and where their answer shows. */
export function renderActions(job: JobView | undefined, tag = 'td'): string {
  const paused = job?.state === 'paused';
  return `<${tag} class="actions">
<button type="button" data-action="trigger">${esc(T.trigger)}</button>
<button type="button" data-action="pause"${paused ? ' hidden' : ''}>${esc(T.pause)}</button>
<button type="button" data-action="resume"${paused ? '' : ' hidden'}>${esc(T.resume)}</button>
<details><summary>${esc(T.params)}</summary>
<textarea data-params rows="3" aria-label="${esc(T.paramsLabel)}"
  placeholder='{"key": "value"}'></textarea></details>
<label class="reason">${esc(T.reason)}
<input type="text" data-reason maxlength="${MAX_REASON_CHARS}"></label>
<output data-feedback></output>
</${tag}>`;
}

function renderCluster(cluster: ClusterView | null): string {
  const mode = clusterMode(cluster);
  const since = cluster?.unreachableSince ?? '';
  const problem = cluster?.problem ?? '';
  const backend = `<b data-cluster-field="backend">${text(cluster?.backend)}</b>`;
  const replica = `<code data-cluster-field="replicaId">${text(cluster?.replicaId)}</code>`;
  const time = `<time data-time="unreachableSince" datetime="${esc(since)}">${text(since)}</time>`;
  return `<p data-cluster data-mode="${mode}"><span class="off">${esc(T.clusterOff)}</span>
<span class="on">${esc(T.cluster)} ${backend},
<span class="reachable">${esc(T.reachable)}</span>
<span class="unreachable">${esc(T.unreachableSince)} ${time}</span>
<span class="problem">${esc(T.misconfigured)} <q data-cluster-field="problem">${text(problem)}</q></span>;
${esc(T.replica)} ${replica}</span></p>`;
}

/** The cluster panel's state: `problem` (reachable but misconfigured) counts as down. */
function clusterMode(cluster: ClusterView | null): string {
  if (!cluster) return 'off';
  if (!cluster.reachable) return 'unreachable';
  return cluster.problem ? 'problem' : 'reachable';
}

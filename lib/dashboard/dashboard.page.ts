import { createHash } from 'node:crypto';
import { POLL_MS } from './dashboard.constants.js';
import { CLIENT_TEXT, PAGE_TEXT } from './dashboard.messages.js';
import { DASHBOARD_SCRIPT } from './dashboard.script.js';
import { DASHBOARD_STYLES } from './dashboard.styles.js';
import type { ClusterView, DashboardState, JobView } from './dashboard.view.js';
import { escapeHtml as esc } from './html-escape.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64');

/**
 * The page runs only its own script and style (allowed by hash), talks only to its own origin,
 * and cannot be framed (clickjacking on the buttons).
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `script-src 'sha256-${sha256(DASHBOARD_SCRIPT)}'`,
  `style-src 'sha256-${sha256(DASHBOARD_STYLES)}'`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const T = PAGE_TEXT;

/** What the page needs besides the state. */
export interface PageOptions {
  readOnly: boolean;
  token: string;
}

/** The whole page, rendered on the server; the script keeps it up to date afterwards. */
export function renderPage(state: DashboardState, options: PageOptions): string {
  const columns = options.readOnly ? T.columns : [...T.columns, T.actions];
  const jobs = state.jobs.map((job) => renderJob(job, options.readOnly)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(T.title)}</title>
<style>${DASHBOARD_STYLES}</style>
</head>
<body>
<main data-dashboard data-token="${esc(options.token)}" data-poll-ms="${POLL_MS}"
  data-now="${esc(state.now)}" data-read-only="${options.readOnly}">
<header>
<h1>${esc(T.title)}</h1>
${renderCluster(state.cluster)}
<p>${esc(T.timesLocal)} <span data-refresh role="status"></span></p>
</header>
<table>
<thead><tr>${columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead>
${jobs}
</table>
<p data-empty${state.jobs.length ? ' hidden' : ''}>${esc(T.empty)}</p>
<template id="job-template">${renderJob(undefined, options.readOnly)}</template>
</main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

const none = CLIENT_TEXT.none;
const text = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? none : esc(value);

/** A time cell: absolute (the script rewrites it in the browser's zone) and relative. */
function when(field: 'nextRunAt' | 'lastRunAt', iso: string | null | undefined): string {
  const at = iso ? `${iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : none;
  const time = `<time data-time="${field}" datetime="${esc(iso ?? '')}">${esc(at)}</time>`;
  return `<div class="when">${time}\n<div class="rel" data-rel></div></div>`;
}

/**
 * One job: a <tbody> of rows (the job, its last error). A history panel would be one more row.
 * `job` undefined renders the empty <template> the script clones for a job that appears later.
 */
export function renderJob(job: JobView | undefined, readOnly: boolean): string {
  const span = T.columns.length + (readOnly ? 0 : 1);
  const name = esc(job?.name ?? '');
  return `<tbody class="job" data-job="${name}" data-state="${esc(job?.state ?? '')}">
<tr>
<th scope="row" data-field="name">${text(job?.name)}</th>
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

function renderActions(job: JobView | undefined): string {
  const paused = job?.state === 'paused';
  return `<td class="actions">
<button type="button" data-action="trigger">${esc(T.trigger)}</button>
<button type="button" data-action="pause"${paused ? ' hidden' : ''}>${esc(T.pause)}</button>
<button type="button" data-action="resume"${paused ? '' : ' hidden'}>${esc(T.resume)}</button>
<details><summary>${esc(T.params)}</summary>
<textarea data-params rows="3" aria-label="${esc(T.paramsLabel)}"
  placeholder='{"key": "value"}'></textarea></details>
<output data-feedback></output>
</td>`;
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

/**
 * The dashboard's script, for both pages (the list and a job's page). One file, because the
 * page's Content-Security-Policy allows exactly this script, by the hash of its built bytes: it
 * cannot load another. Text only ever goes in through `textContent`; charts are SVG elements
 * built here, each with a summary sentence and a table of its data (not colour alone).
 */
import type {
  AuditView,
  ClientText,
  DashboardState,
  JobDetail,
  JobView,
  RateMinute,
  RunView,
} from '../interfaces/dashboard-api.interface.js';
import type { DashboardCharts } from './dashboard-charts.client.js';

// Set by the charts' script, which runs first (an inline script cannot import another).
const { drawBars, drawLine, drawOutcomes } = (
  window as unknown as { jobsDashboardCharts: DashboardCharts }
).jobsDashboardCharts;

const root = document.querySelector<HTMLElement>('[data-dashboard]')!;
const T = JSON.parse(document.getElementById('dashboard-text')!.textContent!) as ClientText;
const status = root.querySelector<HTMLElement>('[data-refresh]')!;
const base = root.dataset.base!;
const pollMs = Number(root.dataset.pollMs);
let skew = Date.parse(root.dataset.now!) - Date.now();
let timer: number | undefined;

const fmt = (text: string, ...values: Array<string | number>): string =>
  values.reduce<string>((out, v, i) => out.replace(`{${i}}`, String(v)), text);
const show = (v: unknown): string =>
  v === null || v === undefined || v === '' ? T.none : String(v);
const absolute = (iso: string): string =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const ms = (n: number | null): string =>
  n === null ? T.none : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`;
const all = <E extends Element = HTMLElement>(sel: string, from: ParentNode = root): E[] => [
  ...from.querySelectorAll<E>(sel),
];

function relative(iso: string): string {
  const diff = Date.parse(iso) - (Date.now() + skew);
  const a = Math.abs(diff);
  if (a < 1000) return T.now;
  const [n, unit] =
    a < 60e3
      ? [a / 1e3, 's']
      : a < 3600e3
        ? [a / 60e3, 'min']
        : a < 86400e3
          ? [a / 3600e3, 'h']
          : [a / 86400e3, 'd'];
  return fmt(diff > 0 ? T.future : T.past, `${Math.round(n)} ${unit}`);
}

function setTime(el: HTMLTimeElement, iso: string | null | undefined): void {
  el.dateTime = iso ?? '';
  el.title = iso ?? '';
  el.textContent = iso ? absolute(iso) : T.none;
}

function tick(): void {
  for (const el of all<HTMLTimeElement>('time[data-time]')) {
    const rel = el.parentElement?.querySelector('[data-rel]');
    if (rel) rel.textContent = el.dateTime ? relative(el.dateTime) : '';
  }
}

/** A new element with text (never HTML). */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attrs: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function timeCell(iso: string | null): HTMLTableCellElement {
  const td = el('td');
  const time = el('time');
  setTime(time, iso);
  td.append(time);
  return td;
}

function fillJob(body: HTMLElement, job: JobView): void {
  body.dataset.job = job.name;
  body.dataset.state = job.state;
  for (const f of all('[data-field]', body)) {
    f.textContent = show(job[f.dataset.field as keyof JobView]);
  }
  for (const a of all<HTMLAnchorElement>('a[data-job-link]', body)) {
    a.href = `${base}/job/${encodeURIComponent(job.name)}`;
  }
  for (const t of all<HTMLTimeElement>('time[data-time]', body)) {
    setTime(t, job[t.dataset.time as 'nextRunAt' | 'lastRunAt']);
  }
  const last = body.querySelector<HTMLElement>('[data-field="lastStatus"]');
  if (last) last.dataset.status = job.lastStatus ?? '';
  const errorRow = body.querySelector<HTMLElement>('[data-error-row]');
  if (errorRow) errorRow.hidden = !job.lastError;
  const pause = body.querySelector<HTMLElement>('[data-action="pause"]');
  const resume = body.querySelector<HTMLElement>('[data-action="resume"]');
  if (pause) pause.hidden = job.state === 'paused';
  if (resume) resume.hidden = job.state !== 'paused';
}

function showCluster(state: { cluster: DashboardState['cluster'] }): void {
  const panel = root.querySelector<HTMLElement>('[data-cluster]');
  if (!panel) return;
  const c = state.cluster;
  panel.dataset.mode = !c
    ? 'off'
    : !c.reachable
      ? 'unreachable'
      : c.problem
        ? 'problem'
        : 'reachable';
  for (const f of all('[data-cluster-field]', panel)) {
    f.textContent = show(c?.[f.dataset.clusterField as keyof typeof c]);
  }
  const since = panel.querySelector<HTMLTimeElement>('time');
  if (since) setTime(since, c?.unreachableSince);
}

// ---- the list page ------------------------------------------------------------------------

function renderList(state: DashboardState): void {
  const table = root.querySelector<HTMLTableElement>('table[data-jobs]')!;
  const template = document.getElementById('job-template') as HTMLTemplateElement;
  const old = new Map([...table.tBodies].map((b) => [b.dataset.job, b]));
  state.jobs.forEach((job, i) => {
    const body =
      old.get(job.name) ?? (template.content.firstElementChild!.cloneNode(true) as HTMLElement);
    old.delete(job.name);
    fillJob(body, job);
    if (table.tBodies[i] !== body) table.insertBefore(body, table.tBodies[i] ?? null);
  });
  for (const body of old.values()) body.remove();
  root.querySelector<HTMLElement>('[data-empty]')!.hidden = state.jobs.length > 0;
  for (const option of all<HTMLOptionElement>('option[data-count]')) {
    const n = state.counts[option.value as keyof DashboardState['counts']];
    option.textContent = `${option.dataset.label} (${n})`;
  }
  renderPager(state);
  renderReplicas(state);
  renderRate(state.rate);
}

function renderPager({ query, total }: DashboardState): void {
  const pages = Math.max(1, Math.ceil(total / query.size));
  root.querySelector('[data-page-info]')!.textContent = fmt(T.pageOf, query.page, pages, total);
  const link = (sel: string, page: number, ok: boolean): void => {
    const a = root.querySelector<HTMLAnchorElement>(sel)!;
    const params = new URLSearchParams(location.search);
    params.set('page', String(page));
    a.href = `?${params}`;
    a.hidden = !ok;
  };
  link('[data-page-prev]', query.page - 1, query.page > 1);
  link('[data-page-next]', query.page + 1, query.page < pages);
}

function renderReplicas(state: DashboardState): void {
  const list = root.querySelector<HTMLElement>('[data-replicas]');
  if (!list) return;
  list.replaceChildren(
    ...state.replicas.map((r) => {
      const item = el('li', undefined, { 'data-replica': r.id });
      const time = el('time');
      setTime(time, r.lastSeen);
      item.append(el('code', r.id), ' · ', time, ` · ${r.running}`);
      return item;
    }),
  );
  root.querySelector<HTMLElement>('[data-no-replicas]')!.hidden = state.replicas.length > 0;
}

function renderRate(rate: RateMinute[]): void {
  const figure = root.querySelector<HTMLElement>('[data-chart="rate"]');
  if (!figure) return;
  const runs = rate.reduce((n, m) => n + m.runs, 0);
  const failures = rate.reduce((n, m) => n + m.failures, 0);
  const label = (m: RateMinute): string =>
    new Date(m.minute).toLocaleTimeString(undefined, { timeStyle: 'short' });
  const summary = fmt(T.rateSummary, runs, failures, Math.max(0, ...rate.map((m) => m.runs)));
  drawBars(figure, rate, { label, summary, text: T });
}

// ---- the job page -------------------------------------------------------------------------

function runRow(run: RunView): HTMLTableSectionElement {
  const body = el('tbody', undefined, { 'data-run': run.runId });
  const tr = el('tr');
  const statusCell = el('td');
  statusCell.append(el('span', run.status, { class: 'badge', 'data-status': run.status }));
  tr.append(
    timeCell(run.due),
    timeCell(run.started),
    el('td', ms(run.durationMs), { class: 'num' }),
    el('td', ms(run.latenessMs), { class: 'num' }),
    statusCell,
    el('td', run.reason),
    el('td', String(run.attempts), { class: 'num' }),
    el('td', run.replica, { class: 'by' }),
  );
  body.append(tr);
  if (run.error) {
    const row = el('tr', undefined, { class: 'error' });
    const td = el('td', undefined, { colspan: '8' });
    const details = el('details');
    details.append(el('summary', run.error), el('pre', run.errorStack ?? run.error));
    td.append(details);
    row.append(td);
    body.append(row);
  }
  return body;
}

function auditRow(entry: AuditView): HTMLTableRowElement {
  const tr = el('tr', undefined, { 'data-audit': entry.action });
  tr.append(
    timeCell(entry.at),
    el('td', entry.action),
    el('td', show(entry.by)),
    el('td', show(entry.reason), { 'data-audit-reason': '' }),
    el('td', show(entry.detail)),
  );
  return tr;
}

function renderJob(detail: JobDetail): void {
  fillJob(root.querySelector<HTMLElement>('[data-job]')!, detail.job);
  root.querySelector('[data-next-times]')!.replaceChildren(
    ...detail.nextTimes.map((iso) => {
      const item = el('li');
      const time = el('time');
      setTime(time, iso);
      item.append(time);
      return item;
    }),
  );
  const note = root.querySelector<HTMLElement>('[data-paused-note]');
  if (note) note.hidden = detail.job.state !== 'paused';
  const history = root.querySelector<HTMLTableElement>('table[data-history]')!;
  for (const body of [...history.tBodies]) body.remove();
  history.append(...detail.history.runs.map(runRow));
  root.querySelector<HTMLElement>('[data-no-runs]')!.hidden = detail.history.total > 0;
  const { page, size, total } = detail.history;
  const pages = Math.max(1, Math.ceil(total / size));
  root.querySelector('[data-page-info]')!.textContent = fmt(T.pageOf, page, pages, total);
  const link = (sel: string, to: number, ok: boolean): void => {
    const a = root.querySelector<HTMLAnchorElement>(sel)!;
    a.href = `?page=${to}`;
    a.hidden = !ok;
  };
  link('[data-page-prev]', page - 1, page > 1);
  link('[data-page-next]', page + 1, page < pages);
  const audit = root.querySelector<HTMLTableSectionElement>('[data-audit-rows]')!;
  audit.replaceChildren(...detail.audit.map(auditRow));
  root.querySelector<HTMLElement>('[data-no-audit]')!.hidden = detail.audit.length > 0;
  const missed = root.querySelector<HTMLElement>('[data-missed]')!;
  missed.replaceChildren(
    ...Object.entries(detail.missed).map(([reason, n]) => {
      const tr = el('tr', undefined, { 'data-missed-reason': reason });
      tr.append(el('th', reason, { scope: 'row' }), el('td', String(n), { class: 'num' }));
      return tr;
    }),
  );
  renderJobCharts(detail.chart);
}

function renderJobCharts(runs: RunView[]): void {
  const label = (r: RunView): string => absolute(r.started);
  const ran = runs.filter((r) => r.durationMs !== null);
  const durations = ran.map((r) => ({ label: label(r), value: r.durationMs! }));
  const late = runs.filter((r) => r.latenessMs !== null);
  const lateness = late.map((r) => ({ label: label(r), value: r.latenessMs! }));
  const max = (xs: Array<{ value: number }>): string => ms(Math.max(0, ...xs.map((x) => x.value)));
  const chart = (name: string): HTMLElement => root.querySelector(`[data-chart="${name}"]`)!;
  drawLine(chart('duration'), durations, {
    summary: fmt(T.durationSummary, durations.length, max(durations)),
    format: ms,
    text: T,
  });
  drawLine(chart('lateness'), lateness, {
    summary: fmt(T.latenessSummary, lateness.length, max(lateness)),
    format: ms,
    text: T,
  });
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const told = [...counts].map(([s, n]) => `${s} ${n}`).join(', ') || T.noRuns;
  drawOutcomes(
    chart('outcomes'),
    runs.map((r) => ({ at: Date.parse(r.started), label: label(r), status: r.status })),
    { summary: fmt(T.outcomesSummary, runs.length, told), text: T },
  );
}

// ---- polling and actions ------------------------------------------------------------------

function apiUrl(): string {
  const page =
    root.dataset.page === 'job'
      ? `/api/job/${encodeURIComponent(root.dataset.name!)}`
      : '/api/jobs';
  return `${base}${page}${location.search}`;
}

async function poll(): Promise<void> {
  clearTimeout(timer);
  if (document.hidden) return; // a hidden tab asks nothing; it refreshes when shown again
  try {
    const res = await fetch(apiUrl(), {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const data = (await res.json()) as DashboardState | JobDetail;
    skew = Date.parse(data.now) - Date.now();
    if ('jobs' in data) {
      renderList(data);
      showCluster(data);
    } else renderJob(data);
    tick();
    status.textContent = fmt(T.updated, new Date().toLocaleTimeString());
    status.dataset.ok = 'true';
  } catch (error) {
    status.textContent = fmt(T.offline, (error as Error).message);
    status.dataset.ok = 'false';
  }
  timer = window.setTimeout(() => void poll(), pollMs);
}

async function act(button: HTMLButtonElement): Promise<void> {
  const scope = button.closest<HTMLElement>('[data-job]')!;
  const feedback = scope.querySelector<HTMLElement>('[data-feedback]')!;
  const payload: { name: string; params?: unknown; reason?: string } = { name: scope.dataset.job! };
  const params = scope.querySelector<HTMLTextAreaElement>('[data-params]');
  if (button.dataset.action === 'trigger' && params?.value.trim()) {
    try {
      payload.params = JSON.parse(params.value);
    } catch (error) {
      feedback.textContent = fmt(T.badParams, (error as Error).message);
      return;
    }
  }
  const reason = scope.querySelector<HTMLInputElement>('[data-reason]')?.value.trim();
  if (reason) payload.reason = reason;
  button.disabled = true;
  try {
    const res = await fetch(`${base}/api/${button.dataset.action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [T.tokenHeader]: root.dataset.token! },
      body: JSON.stringify(payload),
    });
    const answer = (await res.json().catch(() => ({}))) as { message?: string };
    const message = show(answer.message ?? res.status);
    feedback.textContent = res.ok ? message : fmt(T.failed, message);
  } catch (error) {
    feedback.textContent = fmt(T.failed, (error as Error).message);
  } finally {
    button.disabled = false;
  }
  void poll();
}

/** The list's form: a change asks the server again (and keeps the URL, to share or reload). */
function watchForm(): void {
  const form = root.querySelector<HTMLFormElement>('form[data-list-form]');
  if (!form) return;
  let typing: number | undefined;
  const go = (): void => {
    const params = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v !== '' && k !== 'page') params.set(k, String(v));
    history.replaceState(null, '', `?${params}`);
    void poll();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go();
  });
  form.addEventListener('change', go);
  form.addEventListener('input', () => {
    clearTimeout(typing);
    typing = window.setTimeout(go, 250);
  });
}

document.addEventListener('visibilitychange', () => void (document.hidden || poll()));
root.addEventListener('click', (event) => {
  const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
  if (button) void act(button);
});
for (const t of all<HTMLTimeElement>('time[data-time]')) if (t.dateTime) setTime(t, t.dateTime);
watchForm();
status.textContent = fmt(T.updated, new Date().toLocaleTimeString());
tick();
setInterval(tick, 1000);
// The job page and the list's charts are drawn from the first answer, at once.
void poll();

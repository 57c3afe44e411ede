import { renderDocument, type PageOptions } from './dashboard.layout.js';
import { PAGE_TEXT as T } from './dashboard.messages.js';
import { renderActions, renderPager, when } from './dashboard.page.js';
import { escapeHtml as esc } from './html-escape.js';
import type { JobDetail } from './interfaces/dashboard-api.interface.js';

const head = (cells: string[]): string =>
  `<thead><tr>${cells.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead>`;

const chart = (name: string, title: string): string =>
  `<figure class="chart" data-chart="${name}"><h3>${esc(title)}</h3></figure>`;

/**
 * A job's page: the job (as in the list, with its actions), its next fire times, charts of its
 * last runs, the ticks it missed, its stored history and its audit trail. The server renders
 * the frame and the job's name; the script fills in the rest from `api/job/<name>` (the same
 * answer it polls), through `textContent` only.
 */
export function renderJobPage(detail: JobDetail, options: PageOptions): string {
  const { job } = detail;
  const field = (name: string): string => `<span data-field="${name}"></span>`;
  const body = `<p><a href="${esc(options.base)}">${esc(T.back)}</a></p>
<section class="job-head" data-job="${esc(job.name)}" data-state="${esc(job.state)}">
<h1 data-field="name">${esc(job.name)}</h1>
<p>${esc(T.timesLocal)} <span data-refresh role="status"></span></p>
<dl>
<dt>${esc(T.schedule)}</dt><dd>${field('scheduleWords')} <code data-field="scheduleText"></code>
<span class="by" data-field="timeZone"></span></dd>
<dt>${esc(T.state)}</dt><dd><span class="badge" data-field="state"></span></dd>
<dt>${esc(T.nextRun)}</dt><dd>${when('nextRunAt', job.nextRunAt)}</dd>
<dt>${esc(T.lastRun)}</dt><dd>${when('lastRunAt', job.lastRunAt)}
<span class="badge" data-field="lastStatus"></span> ${field('lastDuration')}
<span class="by" data-field="lastRunBy"></span></dd>
<dt>${esc(T.counters)}</dt><dd>${field('runs')} / ${field('failures')}</dd>
</dl>
${options.readOnly ? '' : renderActions(job, 'div')}
</section>
<section><h2>${esc(T.nextTimes)}</h2>
<p class="by" data-paused-note hidden>${esc(T.pausedNote)}</p><ol data-next-times></ol></section>
<section class="charts"><h2>${esc(T.charts)}</h2>
${chart('duration', T.duration)}
${chart('lateness', T.lateness)}
${chart('outcomes', T.outcomes)}
</section>
<section><h2>${esc(T.missed)}</h2>
<table class="small">${head(T.missedHead)}<tbody data-missed></tbody></table></section>
<section><h2>${esc(T.history)}</h2>
<table data-history>${head(T.historyHead)}</table>
<p data-no-runs hidden>${esc(T.noRuns)}</p>
${renderPager()}</section>
<section><h2>${esc(T.audit)}</h2>
<table data-audit>${head(T.auditHead)}<tbody data-audit-rows></tbody></table>
<p data-no-audit hidden>${esc(T.noAudit)}</p></section>`;
  return renderDocument(`${job.name} · ${T.title}`, body, {
    ...options,
    page: 'job',
    now: detail.now,
    data: { name: job.name },
  });
}

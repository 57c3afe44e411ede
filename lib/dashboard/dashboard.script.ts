import { TOKEN_HEADER } from './dashboard.constants.js';
import { CLIENT_TEXT } from './dashboard.messages.js';

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`). */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/**
 * The page's script: formats times in the browser's zone, keeps "in 3 min" current, polls
 * `<path>/api/jobs` and updates the rows in place (a new job's row is cloned from the page's
 * <template>), and sends the actions. Text only ever goes in through `textContent`.
 * Static, so the page's Content-Security-Policy allows it by hash.
 */
export const DASHBOARD_SCRIPT = `(() => {
'use strict';
const T = ${scriptJson(CLIENT_TEXT)};
const root = document.querySelector('[data-dashboard]');
const table = root.querySelector('table');
const template = document.getElementById('job-template');
const status = root.querySelector('[data-refresh]');
const base = location.pathname.replace(/\\/+$/, '');
const pollMs = Number(root.dataset.pollMs);
let skew = Date.parse(root.dataset.now) - Date.now();
let timer;
const fmt = (text, value) => text.replace('{0}', value);
const show = (v) => (v === null || v === undefined || v === '' ? T.none : String(v));
const absolute = (iso) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
function relative(iso) {
  const ms = Date.parse(iso) - (Date.now() + skew);
  const a = Math.abs(ms);
  if (a < 1000) return T.now;
  const [n, unit] = a < 60e3 ? [a / 1e3, 's'] : a < 3600e3 ? [a / 60e3, 'min']
    : a < 86400e3 ? [a / 3600e3, 'h'] : [a / 86400e3, 'd'];
  return fmt(ms > 0 ? T.future : T.past, Math.round(n) + ' ' + unit);
}
function setTime(el, iso) {
  el.dateTime = iso || '';
  el.title = iso || '';
  el.textContent = iso ? absolute(iso) : T.none;
}
function tick() {
  for (const el of root.querySelectorAll('time[data-time]')) {
    const rel = el.parentElement.querySelector('[data-rel]');
    if (rel) rel.textContent = el.dateTime ? relative(el.dateTime) : '';
  }
}
function fill(body, job) {
  body.dataset.job = job.name;
  body.dataset.state = job.state;
  for (const el of body.querySelectorAll('[data-field]')) {
    el.textContent = show(job[el.dataset.field]);
  }
  for (const el of body.querySelectorAll('time[data-time]')) setTime(el, job[el.dataset.time]);
  body.querySelector('[data-field="lastStatus"]').dataset.status = job.lastStatus || '';
  body.querySelector('[data-error-row]').hidden = !job.lastError;
  const pause = body.querySelector('[data-action="pause"]');
  const resume = body.querySelector('[data-action="resume"]');
  if (pause) pause.hidden = job.state === 'paused';
  if (resume) resume.hidden = job.state !== 'paused';
}
function showCluster(c) {
  const panel = root.querySelector('[data-cluster]');
  panel.dataset.mode = !c
    ? 'off'
    : !c.reachable
      ? 'unreachable'
      : c.problem
        ? 'problem'
        : 'reachable';
  for (const el of panel.querySelectorAll('[data-cluster-field]')) {
    el.textContent = show(c && c[el.dataset.clusterField]);
  }
  setTime(panel.querySelector('time'), c && c.unreachableSince);
}
function render(state) {
  skew = Date.parse(state.now) - Date.now();
  const old = new Map([...table.tBodies].map((body) => [body.dataset.job, body]));
  state.jobs.forEach((job, i) => {
    const body = old.get(job.name) || template.content.firstElementChild.cloneNode(true);
    old.delete(job.name);
    fill(body, job);
    if (table.tBodies[i] !== body) table.insertBefore(body, table.tBodies[i] || null);
  });
  for (const body of old.values()) body.remove();
  root.querySelector('[data-empty]').hidden = state.jobs.length > 0;
  showCluster(state.cluster);
  tick();
}
async function poll() {
  clearTimeout(timer);
  if (document.hidden) return; // a hidden tab asks nothing; it refreshes when shown again
  try {
    const res = await fetch(base + '/api/jobs', {
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    render(await res.json());
    status.textContent = fmt(T.updated, new Date().toLocaleTimeString());
    status.dataset.ok = 'true';
  } catch (error) {
    status.textContent = fmt(T.offline, error.message);
    status.dataset.ok = 'false';
  }
  timer = setTimeout(poll, pollMs);
}
async function act(button) {
  const body = button.closest('tbody');
  const feedback = body.querySelector('[data-feedback]');
  const payload = { name: body.dataset.job };
  const params = body.querySelector('[data-params]');
  if (button.dataset.action === 'trigger' && params && params.value.trim()) {
    try {
      payload.params = JSON.parse(params.value);
    } catch (error) {
      feedback.textContent = fmt(T.badParams, error.message);
      return;
    }
  }
  button.disabled = true;
  try {
    const res = await fetch(base + '/api/' + button.dataset.action, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ${scriptJson(TOKEN_HEADER)}: root.dataset.token,
      },
      body: JSON.stringify(payload),
    });
    const answer = await res.json().catch(() => ({}));
    const message = show(answer.message || res.status);
    feedback.textContent = res.ok ? message : fmt(T.failed, message);
  } catch (error) {
    feedback.textContent = fmt(T.failed, error.message);
  } finally {
    button.disabled = false;
  }
  poll();
}
document.addEventListener('visibilitychange', () => document.hidden || poll());
table.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action]');
  if (button) act(button);
});
for (const el of root.querySelectorAll('time[data-time]')) {
  if (el.dateTime) setTime(el, el.dateTime);
}
status.textContent = fmt(T.updated, new Date().toLocaleTimeString());
tick();
setInterval(tick, 1000);
timer = setTimeout(poll, pollMs);
})();`;

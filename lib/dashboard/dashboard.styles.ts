/** The page's style sheet: system fonts, light and dark, no assets. */
export const DASHBOARD_STYLES = `
:root { color-scheme: light dark; --muted: #6b7280; --line: #d1d5db; --bg2: #f3f4f6;
  --ok: #15803d; --bad: #b91c1c; --run: #1d4ed8; --warn: #a16207; }
@media (prefers-color-scheme: dark) { :root { --line: #374151; --bg2: #1f2937; --muted: #9ca3af;
  --ok: #4ade80; --bad: #f87171; --run: #93c5fd; --warn: #facc15; } }
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; padding: 1rem 1.5rem; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
header p { margin: .2rem 0; color: var(--muted); }
[data-cluster][data-mode="off"] .on, [data-cluster]:not([data-mode="off"]) .off,
[data-cluster]:not([data-mode="unreachable"]) .unreachable,
[data-cluster]:not([data-mode="reachable"]) .reachable,
[data-cluster]:not([data-mode="problem"]) .problem { display: none; }
[data-cluster] .reachable { color: var(--ok); }
[data-cluster] .unreachable, [data-cluster] .problem { color: var(--bad); }
[data-refresh][data-ok="false"] { color: var(--bad); }
table { border-collapse: collapse; width: 100%; margin-top: .75rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .5rem; }
thead th { font-size: .8rem; text-transform: uppercase; color: var(--muted);
  border-bottom: 2px solid var(--line); }
tbody.job { border-bottom: 1px solid var(--line); }
tbody.job > tr:first-child > th { font-weight: 600; word-break: break-word; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
code { color: var(--muted); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.rel, .by { color: var(--muted); font-size: .85rem; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 1rem; font-size: .8rem;
  background: var(--bg2); }
[data-state="running"] [data-field="state"], [data-status="running"] { color: var(--run); }
[data-state="paused"] [data-field="state"] { color: var(--warn); }
[data-state="scheduled"] [data-field="state"], [data-status="succeeded"] { color: var(--ok); }
[data-status="failed"] { color: var(--bad); }
[data-status=""] { display: none; }
tr.error td { padding-top: 0; }
tr.error summary { color: var(--bad); cursor: pointer; word-break: break-word; }
tr.error pre { background: var(--bg2); padding: .5rem; overflow: auto; max-height: 20rem;
  white-space: pre-wrap; }
.actions button { margin: 0 .25rem .25rem 0; cursor: pointer; }
.actions details { font-size: .85rem; }
.actions textarea { width: 14rem; font: 12px ui-monospace, monospace; }
.actions output { display: block; font-size: .85rem; color: var(--muted); max-width: 18rem; }
.actions .reason { display: block; font-size: .85rem; margin-top: .25rem; }
.actions .reason input { width: 14rem; }
a { color: var(--run); }
h2 { font-size: 1.1rem; margin: 1.25rem 0 .4rem; }
h3 { font-size: .95rem; margin: .25rem 0; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin-top: 1rem; }
.filters label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
.pager { display: flex; gap: 1rem; margin: .75rem 0; align-items: center; }
.replicas { margin: .2rem 0; padding-left: 1.2rem; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
.chart { margin: .5rem 0; }
.chart svg { width: 100%; max-width: 40rem; height: auto; display: block;
  border: 1px solid var(--line); border-radius: .25rem; }
.chart figcaption { font-size: .85rem; color: var(--muted); }
.chart details { font-size: .8rem; }
.chart table { width: auto; margin-top: .25rem; }
.chart th, .chart td { padding: .1rem .5rem; }
svg .axis { font: 10px system-ui, sans-serif; fill: var(--muted); }
svg .base { stroke: var(--line); }
svg .series { fill: none; stroke: var(--run); stroke-width: 1.5; }
svg .dot, svg .mark.succeeded, svg .ok { fill: var(--ok); }
svg .bad, svg .mark.failed, svg .mark.timed-out, svg .mark.abandoned { fill: var(--bad); }
svg .mark.skipped { fill: var(--warn); }
.job-head dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
.job-head dt { color: var(--muted); }
.job-head dd { margin: 0; }
.job-head .actions { margin-top: .75rem; }
table.small { width: auto; }
ol[data-next-times] { columns: 2; font-variant-numeric: tabular-nums; }
`;

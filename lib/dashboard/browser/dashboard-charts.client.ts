/**
 * The dashboard's charts, drawn as inline SVG. A script of its own on the page (allowed by its
 * hash, as the main one), which the main script finds at `window.jobsDashboardCharts`: an inline
 * script cannot import another. Every chart gets a summary sentence (its `aria-label` and
 * caption) and a table of the data it draws, and tells its series apart by shape and position,
 * not colour alone.
 */
import type { ChartText } from '../interfaces/dashboard-api.interface.js';

const SVG = 'http://www.w3.org/2000/svg';
const W = 600;
const H = 140;
const PAD = 36;

function svgEl(tag: string, attrs: Record<string, string | number>, title?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (title !== undefined) {
    const t = document.createElementNS(SVG, 'title');
    t.textContent = title;
    node.append(t);
  }
  return node;
}

/** The figure's parts: the SVG's box, the caption and the data table (made once). */
function parts(figure: HTMLElement, summary: string, text: ChartText, head: string[]) {
  let box = figure.querySelector<HTMLElement>('[data-svg]');
  if (!box) {
    box = document.createElement('div');
    box.dataset.svg = '';
    const caption = document.createElement('figcaption');
    const details = document.createElement('details');
    const label = document.createElement('summary');
    label.textContent = text.data;
    details.append(label, document.createElement('table'));
    figure.append(box, caption, details);
  }
  figure.querySelector('figcaption')!.textContent = summary;
  const table = figure.querySelector('table')!;
  const tr = document.createElement('tr');
  for (const h of head) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = h;
    tr.append(th);
  }
  table.replaceChildren(tr);
  const svg = svgEl('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary });
  box.replaceChildren(svg);
  return { svg, table };
}

function addRow(table: HTMLTableElement, cells: string[]): void {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    td.textContent = c;
    tr.append(td);
  }
  table.append(tr);
}

function axisText(svg: SVGElement, x: number, y: number, text: string, anchor = 'end'): void {
  const node = svgEl('text', { x, y, 'text-anchor': anchor, class: 'axis' });
  node.textContent = text;
  svg.append(node);
}

/** A line over the points, in order (one per run), from 0 to the largest value. */
export function drawLine(
  figure: HTMLElement,
  points: Array<{ label: string; value: number }>,
  o: { summary: string; format: (n: number) => string; text: ChartText },
): void {
  const { svg, table } = parts(figure, o.summary, o.text, [o.text.time, o.text.value]);
  const top = Math.max(1, ...points.map((p) => p.value));
  const step = (W - PAD - 8) / Math.max(1, points.length - 1);
  const xy = points.map((p, i) => [PAD + i * step, H - 16 - (p.value / top) * (H - 32)]);
  svg.append(svgEl('line', { x1: PAD, y1: H - 16, x2: W - 8, y2: H - 16, class: 'base' }));
  axisText(svg, PAD - 4, 14, o.format(top));
  axisText(svg, PAD - 4, H - 12, o.format(0));
  if (xy.length > 1) {
    const line = xy.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
    svg.append(svgEl('polyline', { points: line, class: 'series' }));
  }
  points.forEach((p, i) => {
    const title = `${p.label}: ${o.format(p.value)}`;
    svg.append(svgEl('circle', { cx: xy[i][0], cy: xy[i][1], r: 3, class: 'dot' }, title));
    addRow(table, [p.label, o.format(p.value)]);
  });
}

/** Runs per minute above the line, failures below it (position, not colour, tells them apart). */
export function drawBars<M extends { runs: number; failures: number }>(
  figure: HTMLElement,
  minutes: M[],
  o: { label: (m: M) => string; summary: string; text: ChartText },
): void {
  const { text } = o;
  const { svg, table } = parts(figure, o.summary, text, [text.time, text.runs, text.failures]);
  const label = o.label;
  const top = Math.max(1, ...minutes.map((m) => m.runs));
  const low = Math.max(1, ...minutes.map((m) => m.failures));
  const mid = H * 0.7;
  const width = (W - PAD - 8) / Math.max(1, minutes.length);
  axisText(svg, PAD - 4, 14, String(top));
  axisText(svg, PAD - 4, mid + 4, '0');
  axisText(svg, PAD - 4, H - 4, String(low));
  axisText(svg, W - 8, 14, `▲ ${text.runs}`);
  axisText(svg, W - 8, H - 4, `▼ ${text.failures}`);
  svg.append(svgEl('line', { x1: PAD, y1: mid, x2: W - 8, y2: mid, class: 'base' }));
  minutes.forEach((m, i) => {
    const x = PAD + i * width;
    const title = `${label(m)}: ${m.runs} ${text.runs}, ${m.failures} ${text.failures}`;
    const up = (m.runs / top) * (mid - 20);
    const down = (m.failures / low) * (H - mid - 12);
    const w = Math.max(1, width - 1);
    if (m.runs)
      svg.append(svgEl('rect', { x, y: mid - up, width: w, height: up, class: 'ok' }, title));
    if (m.failures)
      svg.append(svgEl('rect', { x, y: mid, width: w, height: down, class: 'bad' }, title));
    if (m.runs || m.failures) addRow(table, [label(m), String(m.runs), String(m.failures)]);
  });
}

/** A mark per run on a time line, one row per outcome, each row named: shape and place, not hue. */
export function drawOutcomes(
  figure: HTMLElement,
  runs: Array<{ at: number; label: string; status: string }>,
  o: { summary: string; text: ChartText },
): void {
  const { text } = o;
  const { svg, table } = parts(figure, o.summary, text, [text.time, text.status]);
  const rows = text.statuses;
  const left = 90;
  const rowH = (H - 20) / rows.length;
  const from = Math.min(...runs.map((r) => r.at));
  const span = Math.max(1, Math.max(...runs.map((r) => r.at)) - from);
  rows.forEach((status, i) => axisText(svg, left - 6, 14 + i * rowH + rowH / 2, status));
  for (const r of runs) {
    const row = Math.max(0, rows.indexOf(r.status));
    const x = left + ((r.at - from) / span) * (W - left - 12);
    const y = 10 + row * rowH + rowH / 2;
    svg.append(
      svgEl(
        r.status === 'succeeded' ? 'circle' : 'rect',
        mark(x, y, r.status),
        `${r.label}: ${r.status}`,
      ),
    );
    addRow(table, [r.label, r.status]);
  }
}

function mark(x: number, y: number, status: string): Record<string, string | number> {
  const cls = `mark ${status}`;
  if (status === 'succeeded') return { cx: x, cy: y, r: 4, class: cls };
  return { x: x - 4, y: y - 4, width: 8, height: 8, class: cls };
}

/** What the main script finds on `window`. */
export interface DashboardCharts {
  drawLine: typeof drawLine;
  drawBars: typeof drawBars;
  drawOutcomes: typeof drawOutcomes;
}

(window as unknown as { jobsDashboardCharts: DashboardCharts }).jobsDashboardCharts = {
  drawLine,
  drawBars,
  drawOutcomes,
};

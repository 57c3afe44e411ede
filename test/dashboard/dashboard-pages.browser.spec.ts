/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Locator, Page } from 'playwright-core';
import { JOB_STORE, type JobStore } from 'nestjs-core-lib-jobs';
import { CoreLibJobsDashboardModule } from 'nestjs-core-lib-jobs/dashboard';
import { launchChromium } from './helpers/chromium.js';
import { startDashboardApp, type DashboardApp } from './helpers/dashboard-app.js';

const XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const MANY = 10_000;
/** A duration as the page writes it. */
const ms = (n: number): string => (n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(1)} s`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const waitText = (locator: Locator, text: RegExp, timeout = 10_000): Promise<void> =>
  locator.filter({ hasText: text }).first().waitFor({ timeout });

/**
 * The list and the job pages in Chromium, on an app in this process with 10,000 jobs: search,
 * filter and pages served by the server; a job's history and charts; pause with a reason that
 * lands in the audit trail; a `<script>` in a reason or in params shown as text.
 */
describe('dashboard pages in Chromium, with 10,000 jobs', () => {
  let browser: Browser;
  let started: DashboardApp;
  let base: string;
  const errors: string[] = [];

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    return page;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    started = await startDashboardApp(CoreLibJobsDashboardModule.forRoot());
    const { scheduler } = started;
    base = `${started.origin}/jobs-dashboard`;
    const noop = { run: () => undefined };
    for (let i = 0; i < MANY; i++) {
      const name = `job-${String(i).padStart(5, '0')}`;
      scheduler.schedule('1h', '1h', noop, { name });
    }
    let n = 0;
    const flaky = {
      run: async () => {
        n++;
        await sleep(n % 3 === 0 ? 40 : 5);
        if (n % 4 === 0) throw new Error(`broken feed ${XSS}`);
      },
    };
    scheduler.schedule(0, '200ms', flaky, { name: 'billing-sync', retries: 0 });
    let m = 0;
    const ledger = {
      run: async () => {
        m++;
        await sleep(m % 3 === 0 ? 60 : 5);
        if (m % 5 === 0) throw new Error(`ledger locked ${XSS}`);
      },
    };
    scheduler.schedule(0, '150ms', ledger, { name: 'ledger-export', retries: 0 });
    scheduler.scheduleCron('0 3 * * *', noop, { name: 'nightly-report', timeZone: 'Europe/Paris' });
    // Enough runs for a history of two pages and charts with a few outcomes; then the ledger's
    // history is held still (paused, its last run ended), so the pages can be checked against it.
    await sleep(7_000);
    await scheduler.pause('ledger-export', { by: 'setup', reason: 'hold the history still' });
    await sleep(300);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await started?.app.close();
  });

  it('shows one page of the 10,000 jobs, and pages through them on the server', async () => {
    const page = await open(base);
    const rows = page.locator('table[data-jobs] tbody.job');
    await expect(rows.count()).resolves.toBe(50);
    await waitText(page.locator('[data-page-info]'), /^Page 1 of 201 \(10003 in all\)$/);
    await page.locator('[data-page-next]').click();
    await page.waitForURL(/page=2/);
    await expect(rows.first().getAttribute('data-job')).resolves.toBe('job-00049');
    await waitText(page.locator('[data-page-info]'), /^Page 2 of 201/);
    // The server sent 50 rows, not 10,000.
    const html = await (await page.request.get(`${base}?page=2`)).text();
    expect(html.match(/<tbody class="job"/g)).toHaveLength(51); // 50 and the template
    await page.close();
    expect(errors).toEqual([]);
  });

  it('searches by name and filters by state, and keeps the query in the URL', async () => {
    const page = await open(base);
    await page.getByLabel('Search by name').fill('billing');
    await page.waitForURL(/q=billing/);
    const rows = page.locator('table[data-jobs] tbody.job');
    await page.waitForFunction(() => document.querySelectorAll('tbody.job').length === 1);
    await expect(rows.first().getAttribute('data-job')).resolves.toBe('billing-sync');
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('State').selectOption('failing');
    await page.waitForURL(/state=failing/);
    await waitText(page.locator('[data-page-info]'), /\((1|0) in all\)$/);
    const optionText = await page.locator('option[value="failing"]').textContent();
    expect(optionText).toMatch(/^failing \(\d\)$/);
    // A reload asks the server for the same query: the filter is the server's, not the page's.
    await page.reload();
    await expect(page.getByLabel('State').inputValue()).resolves.toBe('failing');
    await page.close();
    expect(errors).toEqual([]);
  });

  it("shows a job's schedule in words and its next 10 fire times in its zone", async () => {
    const page = await open(`${base}/job/nightly-report`);
    await waitText(page.locator('[data-field="scheduleWords"]'), /^Every day at 03:00$/);
    await expect(page.locator('[data-next-times] li').count()).resolves.toBe(10);
    const times = await page
      .locator('[data-next-times] time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    for (const iso of times) {
      expect(new Date(iso).toLocaleString('en-GB', { timeZone: 'Europe/Paris' })).toMatch(
        /03:00:00$/,
      );
    }
    await page.close();
    expect(errors).toEqual([]);
  });

  it("pages through a job's stored history, newest first, 25 runs a page", async () => {
    const stored = await started.scheduler.history('ledger-export');
    expect(stored.length).toBeGreaterThan(25); // two pages
    const page = await open(`${base}/job/ledger-export`);
    const pages = Math.ceil(stored.length / 25);
    await waitText(
      page.locator('[data-page-info]'),
      new RegExp(`^Page 1 of ${pages} \\(${stored.length} in all\\)$`),
    );
    const history = page.locator('table[data-history] tbody');
    const ids = (): Promise<string[]> =>
      history.evaluateAll((els) => els.map((e) => e.getAttribute('data-run')!));
    await expect(ids()).resolves.toEqual(stored.slice(0, 25).map((r) => r.runId));
    const started0 = await history.first().locator('time').nth(1).getAttribute('datetime');
    expect(Date.parse(started0!)).toBe(stored[0].startedAt);
    const cells = await history.first().locator('td').allTextContents();
    expect(cells[4]).toBe(stored[0].status);
    expect(cells[7]).toMatch(/:\d+$/); // the replica, host:pid
    // A failed run folds its error, shown as text.
    const failed = stored.slice(0, 25).find((r) => r.status === 'failed')!;
    const fold = page.locator(`tbody[data-run="${failed.runId}"] tr.error summary`);
    await expect(fold.textContent()).resolves.toBe(`ledger locked ${XSS}`);
    await page.locator('[data-page-next]').click();
    await page.waitForURL(/page=2/);
    await waitText(page.locator('[data-page-info]'), new RegExp(`^Page 2 of ${pages} `));
    await expect(ids()).resolves.toEqual(stored.slice(25, 50).map((r) => r.runId));
    expect(await page.locator('main script, main img').count()).toBe(0);
    await page.close();
    expect(errors).toEqual([]);
  });

  it("draws a job's duration, lateness and outcomes charts from its last runs", async () => {
    const last = (await started.scheduler.history('ledger-export')).slice(0, 60);
    const ran = last.filter((r) => r.status !== 'skipped');
    const scheduled = ran.filter((r) => r.reason !== 'trigger');
    const count = (status: string): number => last.filter((r) => r.status === status).length;
    expect(count('succeeded')).toBeGreaterThan(0);
    expect(count('failed')).toBeGreaterThan(0);
    const page = await open(`${base}/job/ledger-export`);
    const chart = (name: string): Locator => page.locator(`[data-chart="${name}"]`);
    await waitText(chart('outcomes').locator('figcaption'), /^Outcomes of the last/);
    // Each chart: an SVG with a text alternative, a caption, and a table of what it draws.
    const expected = { duration: ran.length, lateness: scheduled.length, outcomes: last.length };
    for (const [name, points] of Object.entries(expected)) {
      const svg = chart(name).locator('svg[role="img"]');
      await expect(svg.getAttribute('aria-label')).resolves.toMatch(new RegExp(`last ${points} `));
      await expect(chart(name).locator('table tr').count()).resolves.toBe(points + 1);
    }
    const longest = Math.max(...ran.map((r) => r.endedAt - r.startedAt));
    const summary = await chart('duration').locator('figcaption').textContent();
    expect(summary).toBe(
      `Duration of the last ${ran.length} runs; the longest took ${ms(longest)}.`,
    );
    expect(longest).toBeGreaterThanOrEqual(60); // the slow runs are there
    const outcomes = await chart('outcomes').locator('figcaption').textContent();
    expect(outcomes).toContain(`succeeded ${count('succeeded')}`);
    expect(outcomes).toContain(`failed ${count('failed')}`);
    // Outcomes told apart by shape as well as colour: a failed run is a square, on its own row.
    await expect(chart('outcomes').locator('svg rect.failed').count()).resolves.toBe(
      count('failed'),
    );
    await expect(chart('outcomes').locator('svg circle.succeeded').count()).resolves.toBe(
      count('succeeded'),
    );
    await page.close();
    expect(errors).toEqual([]);
  });

  it('pauses with a reason that shows in the audit trail as text; params as text too', async () => {
    const page = await open(`${base}/job/billing-sync`);
    await page.getByLabel('Reason (kept in the audit trail)').fill(`incident ${XSS}`);
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitText(page.locator('[data-field="state"]'), /^paused$/);
    const entry = page.locator('[data-audit-rows] tr[data-audit="pause"]').first();
    await entry.waitFor();
    await expect(entry.locator('[data-audit-reason]').textContent()).resolves.toBe(
      `incident ${XSS}`,
    );
    await expect(entry.locator('td').nth(2).textContent()).resolves.toBe('dashboard');
    await expect(started.scheduler.get('billing-sync')?.state).toBe('paused');
    await page.locator('summary', { hasText: 'Params (JSON)' }).click();
    await page.locator('[data-params]').fill(JSON.stringify({ note: XSS }));
    await page.getByRole('button', { name: 'Trigger now' }).click();
    const trigger = page.locator('[data-audit-rows] tr[data-audit="trigger"]').first();
    await trigger.waitFor();
    await expect(trigger.locator('td').nth(4).textContent()).resolves.toBe(
      `params ${JSON.stringify({ note: XSS })}`,
    );
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitText(page.locator('[data-field="state"]'), /^(scheduled|running)$/);
    await page.close();
    expect(errors).toEqual([]);
  });

  it('draws runs and failures per minute on the list page, from the store', async () => {
    const page = await open(`${base}?q=billing`);
    const chart = page.locator('[data-chart="rate"]');
    await waitText(chart.locator('figcaption'), /^Last hour: [1-9]\d* runs, [1-9]\d* failures/);
    const caption = (await chart.locator('figcaption').textContent())!;
    const [, runs, failures] = /^Last hour: (\d+) runs, (\d+) failures/.exec(caption)!.map(Number);
    // The chart counts what the store counted since this app started: no more than that.
    const states = await started.app.get<JobStore>(JOB_STORE).states();
    expect(runs).toBeLessThanOrEqual(states.reduce((n, s) => n + s.runs, 0));
    expect(failures).toBeLessThanOrEqual(states.reduce((n, s) => n + s.failures, 0));
    expect(await chart.locator('svg rect.ok').count()).toBeGreaterThan(0);
    expect(await chart.locator('svg rect.bad').count()).toBeGreaterThan(0);
    // Its data as a table: a row per minute with runs, which add up to the caption's numbers.
    const rows = await chart
      .locator('table tr')
      .evaluateAll((trs) =>
        trs.slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
    expect(rows.reduce((n, r) => n + Number(r[1]), 0)).toBe(runs);
    expect(rows.reduce((n, r) => n + Number(r[2]), 0)).toBe(failures);
    await page.close();
    expect(errors).toEqual([]);
  });
});

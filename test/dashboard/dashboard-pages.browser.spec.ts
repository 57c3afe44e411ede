/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Locator, Page } from 'playwright-core';
import { CoreLibJobsDashboardModule } from 'nestjs-core-lib-jobs/dashboard';
import { launchChromium } from './helpers/chromium.js';
import { startDashboardApp, type DashboardApp } from './helpers/dashboard-app.js';

const XSS = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const MANY = 10_000;
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
    scheduler.scheduleCron('0 3 * * *', noop, { name: 'nightly-report', timeZone: 'Europe/Paris' });
    // Enough runs for a history of two pages and charts with a few outcomes.
    await sleep(7_000);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await started?.app.close();
  });

  it('shows one page of the 10,000 jobs, and pages through them on the server', async () => {
    const page = await open(base);
    const rows = page.locator('table[data-jobs] tbody.job');
    await expect(rows.count()).resolves.toBe(50);
    await waitText(page.locator('[data-page-info]'), /^Page 1 of 201 \(10002 in all\)$/);
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
});

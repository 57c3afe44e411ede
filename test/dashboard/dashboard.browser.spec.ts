/// <reference lib="dom" />
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from './helpers/chromium.js';
import { nonLoopbackIPv4, request, tokenOf } from './helpers/http.js';
import { freePort, startSampleApp, type SampleApp } from './helpers/sample-app-process.js';

const SCREENSHOT = fileURLToPath(new URL('../../docs/dashboard.png', import.meta.url));
const XSS_URL = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

/** SAMPLE_APP_PORT picks the ports (that one, and the next for the read-only app). */
const ports = async (): Promise<[number, number]> => {
  const base = Number(process.env.SAMPLE_APP_PORT);
  return base ? [base, base + 1] : [await freePort(), await freePort()];
};

/** Waits until the locator's text matches. */
const waitText = (locator: Locator, text: RegExp, timeout = 10_000): Promise<void> =>
  locator.filter({ hasText: text }).first().waitFor({ timeout });

/** Loads the page and fails the test on any script error or CSP violation it logs. */
async function openDashboard(browser: Browser, url: string, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(url);
  return page;
}

describe('dashboard in Chromium, served by the running sample app', () => {
  let browser: Browser;
  let app: SampleApp;
  let readOnlyApp: SampleApp;
  let url: string;
  let page: Page;
  const errors: string[] = [];
  const job = (name: string): Locator => page.locator(`tbody[data-job="${name}"]`);
  const field = (name: string, f: string): Locator => job(name).locator(`[data-field="${f}"]`);

  beforeAll(async () => {
    browser = await launchChromium();
    const [port, readOnlyPort] = await ports();
    // On every interface, so the test can also come in through a non-loopback address.
    [app, readOnlyApp] = await Promise.all([
      startSampleApp(port, { HOST: '0.0.0.0' }),
      startSampleApp(readOnlyPort, { DASHBOARD_READ_ONLY: 'true' }),
    ]);
    url = `http://127.0.0.1:${port}/jobs-dashboard`;
    page = await openDashboard(browser, url, errors);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([app?.stop(), readOnlyApp?.stop()]);
  });

  it('shows the jobs (schedule, time zone, state, next run) and updates itself', async () => {
    await expect(field('import-feed', 'scheduleWords').textContent()).resolves.toBe(
      'Every day at 03:00',
    );
    await expect(field('import-feed', 'scheduleText').textContent()).resolves.toBe('0 3 * * *');
    await expect(field('import-feed', 'timeZone').textContent()).resolves.toBe('Europe/Paris');
    await expect(field('import-feed', 'state').textContent()).resolves.toBe('scheduled');
    await waitText(job('import-feed').locator('[data-rel]').first(), /^in \d+ (h|min)$/);
    await expect(field('refresh-users', 'scheduleWords').textContent()).resolves.toBe(
      'Every 5 seconds',
    );
    // refresh-users runs every 5 s: the page shows the count going up without a reload.
    const before = Number(await field('refresh-users', 'runs').textContent());
    await page.waitForFunction(
      (n) =>
        Number(
          document.querySelector('tbody[data-job="refresh-users"] [data-field="runs"]')!
            .textContent,
        ) > n,
      before,
      { timeout: 12_000 },
    );
    expect(await page.locator('[data-refresh]').isVisible()).toBe(true);
    expect(await page.locator('[data-refresh]').textContent()).toMatch(/^Updated \d/);
    expect(errors).toEqual([]);
  });

  it('"Trigger now" runs the job and the run count goes up', async () => {
    await expect(field('import-feed', 'runs').textContent()).resolves.toBe('0');
    await job('import-feed').getByRole('button', { name: 'Trigger now' }).click();
    await waitText(job('import-feed').locator('[data-feedback]'), /^Run succeeded in \d+ ms$/);
    await waitText(field('import-feed', 'runs'), /^1$/);
    await expect(field('import-feed', 'lastStatus').textContent()).resolves.toBe('succeeded');
    await expect(field('import-feed', 'lastRunBy').textContent()).resolves.toBe('this process');
  });

  it('pauses and resumes a job', async () => {
    await job('refresh-users').getByRole('button', { name: 'Pause' }).click();
    await waitText(field('refresh-users', 'state'), /^paused$/);
    expect(await job('refresh-users').getByRole('button', { name: 'Pause' }).isVisible()).toBe(
      false,
    );
    const api = JSON.parse((await request(`${url}/api/jobs`)).body);
    expect(api.jobs.find((j: { name: string }) => j.name === 'refresh-users')).toMatchObject({
      state: 'paused',
      nextRunAt: null,
    });
    await job('refresh-users').getByRole('button', { name: 'Resume' }).click();
    await waitText(field('refresh-users', 'state'), /^(scheduled|running)$/);
    await waitText(job('refresh-users').locator('[data-rel]').first(), /^(in \d+ s|now)$/);
  });

  it('shows an error whose message holds <script> as text, with its stack folded', async () => {
    const row = job('import-feed');
    await row.locator('summary', { hasText: 'Params (JSON)' }).click();
    await row.locator('[data-params]').fill(JSON.stringify({ url: XSS_URL }));
    await row.getByRole('button', { name: 'Trigger now' }).click();
    await waitText(row.locator('[data-feedback]'), /^Failed|^Run failed/);
    for (const reload of [false, true]) {
      if (reload) await page.reload(); // the server-rendered page, not the script's update
      const message = row.locator('tr.error [data-field="lastError"]');
      await waitText(message, /cannot import the feed/);
      expect(await message.textContent()).toBe(
        `cannot import the feed at ${JSON.stringify(XSS_URL)}: not an http(s) URL`,
      );
      expect(await row.locator('tr.error script, tr.error img').count()).toBe(0);
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
      const stack = row.locator('[data-field="lastErrorStack"]');
      expect(await stack.isVisible()).toBe(false); // folded
      await row.locator('tr.error summary').click();
      await waitText(stack, /at ImportFeedJob\.run/);
    }
    await waitText(field('import-feed', 'failures'), /^1$/);
    mkdirSync(fileURLToPath(new URL('.', `file://${SCREENSHOT}`)), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(errors).toEqual([]);
  });

  it('refuses a cross-site form post (CSRF) with 403', async () => {
    // A page on another site (localhost is not 127.0.0.1) posts a form to the dashboard.
    const attacker = await browser.newPage();
    await attacker.goto(`http://localhost:${app.port}/jobs`);
    const [response] = await Promise.all([
      attacker.waitForResponse(`${url}/api/pause`),
      attacker.evaluate((action) => {
        const form = document.createElement('form');
        Object.assign(form, { method: 'POST', action, enctype: 'text/plain' });
        form.innerHTML = '<input name=\'{"name":"refresh-users","x":"\' value=\'"}\'>';
        document.body.append(form);
        form.submit();
      }, `${url}/api/pause`),
    ]);
    expect(response.status()).toBe(403);
    expect(await response.text()).toMatch(/cross-site request \(Sec-Fetch-Site: cross-site\)/);
    await attacker.close();
    await expect(field('refresh-users', 'state').textContent()).resolves.not.toBe('paused');
  });

  it('answers 403 to a request from a non-loopback address', async () => {
    const other = await browser.newPage();
    const response = await other.goto(`http://${nonLoopbackIPv4()}:${app.port}/jobs-dashboard`);
    expect(response?.status()).toBe(403);
    expect(await other.textContent('body')).toMatch(/answers only local requests/);
    await other.close();
  });

  it('read-only mode has no buttons, and the server refuses the actions with 405', async () => {
    const readOnly = await openDashboard(
      browser,
      `http://127.0.0.1:${readOnlyApp.port}/jobs-dashboard`,
      errors,
    );
    await readOnly.locator('tbody[data-job="import-feed"]').waitFor();
    expect(await readOnly.locator('button, textarea').count()).toBe(0);
    expect(await readOnly.locator('thead th').allTextContents()).not.toContain('Actions');
    const status = await readOnly.evaluate(async () => {
      const token = document.querySelector<HTMLElement>('[data-dashboard]')!.dataset.token!;
      const reply = await fetch(`${location.pathname}/api/trigger`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-jobs-dashboard-token': token },
        body: JSON.stringify({ name: 'import-feed' }),
      });
      return reply.status;
    });
    expect(status).toBe(405);
    const html = (await request(`http://127.0.0.1:${readOnlyApp.port}/jobs-dashboard`)).body;
    const fromNode = await request(
      `http://127.0.0.1:${readOnlyApp.port}/jobs-dashboard/api/pause`,
      {
        method: 'POST',
        json: { name: 'refresh-users' },
        headers: { 'x-jobs-dashboard-token': tokenOf(html) },
      },
    );
    expect(fromNode.status).toBe(405);
    await readOnly.close();
    expect(errors.filter((e) => !/405/.test(e))).toEqual([]);
  });
});

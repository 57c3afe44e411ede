import { describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreLibJobsModule, InvalidJobsConfigError } from '../../lib/index.js';
import {
  appYaml,
  fixtureApp,
  startApp,
  startupFailure,
  useFixtureApps,
} from '../fixtures/fixture-app.js';
import { FixtureCoreLib, runLog, SendReport, UpdateCache } from '../fixtures/fixture-jobs.js';

/** The built CLI, run as a user runs it: `node dist/cli/main.js <args>` (npm run build first). */
const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/cli/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const env = { PATH: process.env.PATH, TZ: 'UTC', ...options.env };
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: 'utf8',
    env,
    cwd: options.cwd,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface PreviewJson {
  from: string;
  timeZone: string;
  jobs: Array<{
    name: string;
    schedule: string;
    enabled: boolean;
    times: string[];
    notes: string[];
  }>;
}

function preview(args: string[]): PreviewJson {
  const run = cli(['preview', fixture('schedules.yaml'), '--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as PreviewJson;
}

const timesOf = (json: PreviewJson, name: string): string[] =>
  json.jobs.find((job) => job.name === name)!.times;

useFixtureApps();

describe('core-lib-jobs validate', () => {
  it('prints a one-line summary and exits with 0, saying class names were not checked', () => {
    const run = cli(['validate', fixture('schedules.yaml')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${fixture('schedules.yaml')}: 6 job(s), no problems; ` +
        'handler.class not checked (pass --jobs A,B,C to check it)\n',
    );
    const checked = cli([
      'validate',
      fixture('schedules.yaml'),
      '--jobs',
      'UpdateCache,send-report',
    ]);
    expect(checked.stdout).toBe(`${fixture('schedules.yaml')}: 6 job(s), no problems\n`);
  });

  it.each([
    ['many-problems.yaml', 5],
    ['prototype-names.yaml', 3],
    ['syntax-error.yaml', 1],
    ['duplicate-names.yaml', 1],
  ])(
    '%s: every problem the app reports at startup, in the same words, exit 1',
    async (name, count) => {
      const file = appYaml(`invalid/${name}`);
      const app = await startupFailure(
        fixtureApp({
          jobsModule: CoreLibJobsModule.forRoot({ config: file, coreLib: FixtureCoreLib }),
          providers: [UpdateCache, SendReport],
        }),
      );
      expect(app.error).toBeInstanceOf(InvalidJobsConfigError);
      expect((app.error as InvalidJobsConfigError).problems).toHaveLength(count);
      const run = cli(['validate', file, '--jobs', 'UpdateCache,send-report']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe(`${app.error.message}\n`);
    },
  );

  it('checks handler.class only against the names given with --jobs', () => {
    expect(cli(['validate', fixture('unknown-class.yaml')]).code).toBe(0);
    const run = cli(['validate', fixture('unknown-class.yaml'), '--jobs', 'UpdateCache']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'handler.class: got "NoSuchJob", expected one of the app\'s jobs: UpdateCache',
    );
  });

  it('reads the environment, and an --env-file under it', () => {
    const unset = cli(['validate', fixture('env.yaml')]);
    expect(unset.code).toBe(1);
    expect(unset.stdout).toContain('environment variable CLI_FIXTURE_FREQUENCY is not set');
    const args = ['preview', fixture('env.yaml'), '--json', '--from', '2026-01-01T00:00:00Z'];
    const fromFile = JSON.parse(cli([...args, '--env-file', fixture('env-file.env')]).stdout);
    expect(fromFile.jobs[0].schedule).toBe('every 1m30s (fixed-rate), first at startup');
    const env = { CLI_FIXTURE_FREQUENCY: '2m' };
    const fromEnv = JSON.parse(
      cli([...args, '--env-file', fixture('env-file.env')], { env }).stdout,
    );
    expect(fromEnv.jobs[0].schedule).toBe('every 2m (fixed-rate), first at startup');
  });

  it('takes core_lib.yaml in the working directory by default, and --jobs-path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'core-lib-jobs-cli-'));
    try {
      const missing = cli(['validate'], { cwd: dir });
      expect(missing.code).toBe(1);
      expect(missing.stdout).toContain(`config file not found: ${join(dir, 'core_lib.yaml')}`);
      writeFileSync(join(dir, 'core_lib.yaml'), 'core_lib:\n  jobs: []\n');
      expect(cli(['validate'], { cwd: dir }).stdout).toMatch(
        /^core_lib\.yaml: 0 job\(s\), no problems/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const nested = cli(['validate', fixture('nested.yaml'), '--jobs-path', 'app.schedules']);
    expect(nested.stdout).toContain('1 job(s), no problems');
  });
});

describe('core-lib-jobs preview', () => {
  const from = ['--from', '2026-03-28T12:00', '--tz', 'Europe/Paris', '--count', '3'];

  it('shows cron in its time zone across the DST change (0 2 * * * on 2026-03-29 in Paris)', () => {
    const json = preview(from);
    expect(json.from).toBe('2026-03-28T12:00:00+01:00');
    // 02:00 does not exist that night in Paris: the tick comes at 03:00 (summer time).
    expect(timesOf(json, 'nightly')).toEqual([
      '2026-03-29T03:00:00+02:00',
      '2026-03-30T02:00:00+02:00',
      '2026-03-31T02:00:00+02:00',
    ]);
    // A cron without time_zone runs in the server's zone (--tz).
    expect(timesOf(json, 'tea')).toEqual([
      '2026-03-28T16:00:00+01:00',
      '2026-03-29T16:00:00+02:00',
      '2026-03-30T16:00:00+02:00',
    ]);
    expect(timesOf(preview([...from.slice(0, 2), '--tz', 'UTC']), 'tea')[0]).toBe(
      '2026-03-28T16:00:00+00:00',
    );
  });

  it("reads frequency '16:00' as sixteen minutes, after the initial delay", () => {
    const json = preview(from);
    expect(timesOf(json, 'sixteen')).toEqual([
      '2026-03-28T12:00:10+01:00',
      '2026-03-28T12:16:10+01:00',
      '2026-03-28T12:32:10+01:00',
    ]);
    expect(json.jobs.find((job) => job.name === 'sixteen')!.notes).toEqual([
      'jitter: each time may come up to 5s later',
    ]);
  });

  it('shows fixed delay as far as it can be known, once jobs once, disabled jobs never', () => {
    const json = preview(from);
    const report = json.jobs.find((job) => job.name === 'report')!;
    expect(report.times).toEqual([
      '2026-03-28T12:00:00+01:00',
      '2026-03-28T13:00:00+01:00',
      '2026-03-28T14:00:00+01:00',
    ]);
    expect(report.notes[0]).toMatch(/^fixed-delay: assumes each run takes no time/);
    expect(timesOf(json, 'warm-up')).toEqual(['2026-03-28T12:01:00+01:00']);
    expect(json.jobs.find((job) => job.name === 'off')).toMatchObject({
      enabled: false,
      times: [],
    });
  });

  it('shows the times the engine fires (the module on a fake clock, same start)', async () => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const start = Date.parse('2026-03-28T11:00:00Z');
    const json = preview(['--from', new Date(start).toISOString(), '--tz', zone, '--count', '3']);
    jest.setSystemTime(start);
    const config = appYaml('../cli/schedules.yaml');
    await startApp(
      fixtureApp({
        jobsModule: CoreLibJobsModule.forRoot({ config, coreLib: FixtureCoreLib }),
        providers: [UpdateCache, SendReport],
      }),
    );
    await jest.advanceTimersByTimeAsync(3 * 24 * 3600_000);
    for (const name of ['nightly', 'tea', 'report', 'warm-up']) {
      const fired = runLog.filter((run) => run.name === name).slice(0, 3);
      expect([name, fired.map((run) => run.at)]).toEqual([
        name,
        timesOf(json, name).map(Date.parse),
      ]);
    }
    // With a jitter of 5s, each run comes up to 5s after its time.
    const sixteen = runLog.filter((run) => run.name === 'sixteen').slice(0, 3);
    timesOf(json, 'sixteen').forEach((time, index) => {
      expect(sixteen[index].at - Date.parse(time)).toBeGreaterThanOrEqual(0);
      expect(sixteen[index].at - Date.parse(time)).toBeLessThanOrEqual(5_000);
    });
  });

  it('prints a table by default', () => {
    const run = cli(['preview', fixture('schedules.yaml'), ...from]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Fire times from 2026-03-28T12:00:00+01:00 (Europe/Paris), up to 3 per job:',
    );
    expect(run.stdout).toContain(
      'nightly: cron 0 2 * * * (Europe/Paris)\n    1. 2026-03-29T03:00:00+02:00\n',
    );
    expect(run.stdout).toContain('handler.class not checked');
  });

  it('refuses to preview a file with problems, as validate does', () => {
    const run = cli(['preview', appYaml('invalid/bad-cron.yaml')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Invalid jobs config: 1 problem\(s\)\n {2}- .*cron/);
  });
});

describe('arguments', () => {
  it.each([
    [['validate', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['validate', 'a.yaml', 'b.yaml'], /one file at most, got 2: a.yaml b.yaml/],
    [['preview', '--count', '0'], /--count: expected a whole number from 1 to 1000, got '0'/],
    [
      ['preview', '--tz', 'Mars/Olympus'],
      /--tz: expected an IANA time zone .* got 'Mars\/Olympus'/,
    ],
    [['preview', '--from', 'yesterday'], /--from: expected an ISO time .* got 'yesterday'/],
    [['preview', '--from', '2026-02-30T12:00'], /--from: expected an ISO time .* got '2026-02-30/],
    [['preview', '--jobs', 'A,,B'], /--jobs: expected job names separated by commas/],
    [['validate', '--jobs-path', 'a..b'], /--jobs-path: .*jobsPath: "a\.\.b" is invalid/],
    [['frobnicate'], /unknown command 'frobnicate' \(expected validate or preview\)/],
    [[], /a command is required \(validate or preview\)/],
  ])('%j: a clear message and exit code 2', (args, message) => {
    const run = cli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/--help for usage\.\n$/);
  });

  it('--env-file: Node itself checks the path, even after the script name (exit code 9)', () => {
    const run = cli(['validate', fixture('schedules.yaml'), '--env-file', 'no-such.env']);
    expect(run.code).toBe(9);
    expect(run.stderr).toMatch(/no-such\.env: not found/);
  });

  it.each([
    [['--help'], /^Usage: core-lib-jobs <command>/],
    [['validate', '--help'], /^Usage: core-lib-jobs validate \[file\]/],
    [['preview', '-h'], /^Usage: core-lib-jobs preview \[file\]/],
    [['help', 'preview'], /^Usage: core-lib-jobs preview \[file\]/],
  ])('%j: help with an example, exit code 0', (args, usage) => {
    const run = cli(args);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(usage);
    expect(run.stdout).toMatch(/\nExample: (npx )?core-lib-jobs (validate|preview) /);
  });
});

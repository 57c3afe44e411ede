import { loadConfig, type LoadedConfig } from '../../lib/config/config.loader.js';
import { validateJobsConfig } from '../../lib/config/jobs-config.validator.js';
import { InvalidJobsConfigError } from '../../lib/errors/invalid-jobs-config.error.js';

const FIXTURES = 'test/fixtures/config';
const JOBS = 'core_lib.jobs';
const KNOWN = ['UpdateCache', 'SomeJob', 'Cleanup'];

const inline = (jobs: unknown, env: NodeJS.ProcessEnv = {}): LoadedConfig =>
  loadConfig({ core_lib: { jobs } }, env)!;

function problemsOf(config: LoadedConfig, known: readonly string[] = KNOWN): string[] {
  try {
    validateJobsConfig(config, JOBS, known);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    return (error as InvalidJobsConfigError).problems;
  }
  throw new Error('expected validateJobsConfig to throw');
}

describe('validateJobsConfig', () => {
  describe('a valid core-lib config file', () => {
    const entries = validateJobsConfig(loadConfig(`${FIXTURES}/valid.yaml`, {})!, JOBS, KNOWN);

    it('names entries: explicit name, else class, else Class[index] for a class used unnamed twice', () => {
      expect(entries.map((e) => e.name)).toEqual([
        'UpdateCache[0]',
        'SomeJob',
        'UpdateCache[2]',
        'nightly',
      ]);
      expect(entries.map((e) => e.className)).toEqual([
        'some_package.UpdateCache',
        'some_package.SomeJob',
        'UpdateCache',
        'Cleanup',
      ]);
      expect(entries.map((e) => e.index)).toEqual([0, 1, 2, 3]);
    });

    it('copies fields as found, camelCase, with params from handler.params', () => {
      expect(entries[0].spec).toEqual({
        initialDelay: '2h32m',
        frequency: '16:00',
        params: { some_param: 'some value' },
      });
      expect(entries[1].spec).toEqual({ initialDelay: 'startup', frequency: 'None', params: null });
      expect(entries[3].spec).toEqual({
        cron: '0 3 * * *',
        timeZone: 'Europe/Paris',
        enabled: false,
        retryDelay: '5s',
      });
    });

    it("reads frequency 16:00 as the string '16:00', i.e. 16 minutes (YAML 1.2, not sexagesimal 960)", () => {
      expect(entries[0].spec.frequency).toBe('16:00');
      expect(entries[0].trigger).toEqual({
        kind: 'interval',
        initialDelayMs: (2 * 60 + 32) * 60_000,
        frequencyMs: 16 * 60_000,
      });
    });

    it("treats frequency None as 'run once'", () => {
      expect(entries[1].trigger).toEqual({ kind: 'once', initialDelayMs: 0 });
    });

    it('says where each entry is, with its line', () => {
      expect(entries[0].where).toBe(
        `${FIXTURES}/valid.yaml:4 core_lib.jobs[0] (name 'UpdateCache[0]', class 'some_package.UpdateCache')`,
      );
      expect(entries[3].where).toBe(
        `${FIXTURES}/valid.yaml:22 core_lib.jobs[3] (name 'nightly', class 'Cleanup')`,
      );
    });
  });

  it('reports every problem of every entry in one error, one line each', () => {
    const file = `${FIXTURES}/many-problems.yaml`;
    const problems = problemsOf(loadConfig(file, {})!);
    expect(problems).toEqual([
      `${file}:5 core_lib.jobs[0] (name 'UpdateCach', class 'UpdateCach'): handler.class: got "UpdateCach", ` +
        "expected one of the app's jobs: Cleanup, SomeJob, UpdateCache; did you mean 'UpdateCache'?",
      `${file}:3 core_lib.jobs[0] (name 'UpdateCach', class 'UpdateCach'): frequncy: got "30s", expected a known key; did you mean 'frequency'?`,
      expect.stringMatching(
        new RegExp(
          `^${file}:3 core_lib\\.jobs\\[0\\] .*: initial_delay: missing, expected 'boot', 'startup' or a duration`,
        ),
      ),
      `${file}:11 core_lib.jobs[1] (name 'nightly', class 'Cleanup'): handler.parms: got {}, expected a known key; did you mean 'params'?`,
      expect.stringMatching(
        new RegExp(
          `^${file}:8 core_lib\\.jobs\\[1\\] \\(name 'nightly', class 'Cleanup'\\): frequency: got 30, expected .*a bare number needs a unit, e\\.g\\. '30s'`,
        ),
      ),
      `${file}:12 core_lib.jobs[2] (name 'nightly', class 'Cleanup'): name: got "nightly", expected a unique name, but entries 1 and 2 both use it`,
      expect.stringMatching(
        new RegExp(
          `^${file}:13 core_lib\\.jobs\\[2\\] .*: initial_delay: got "soon", expected 'boot', 'startup' or a duration`,
        ),
      ),
      `${file}:16 core_lib.jobs[3]: entry: got "just a string", expected a mapping with 'initial_delay', 'frequency' and 'handler'`,
      `${file}:19 core_lib.jobs[4]: handler.class: missing, expected the non-empty name of a job class`,
      `${file}:18 core_lib.jobs[4]: mode: got "sometimes", expected one of 'fixed-rate', 'fixed-delay'`,
      `${file}:24 core_lib.jobs[6] (name 'SomeJob', class 'some_package.SomeJob'): name: got "SomeJob", expected a unique name, ` +
        "but the name derived from the class collides with the explicit 'name' of entry 5; give this entry a 'name'",
    ]);
  });

  it('builds a message that counts the problems and puts each on its own line', () => {
    try {
      validateJobsConfig(loadConfig(`${FIXTURES}/many-problems.yaml`, {})!, JOBS, KNOWN);
      throw new Error('expected a throw');
    } catch (error) {
      const lines = (error as Error).message.split('\n');
      expect(lines[0]).toBe('Invalid jobs config: 11 problem(s)');
      expect(lines).toHaveLength(12);
      expect(
        lines
          .slice(1)
          .every((line) => line.startsWith('  - test/fixtures/config/many-problems.yaml:')),
      ).toBe(true);
    }
  });

  it('returns [] when the path is absent or null', () => {
    expect(validateJobsConfig(loadConfig({ core_lib: {} }, {})!, JOBS, KNOWN)).toEqual([]);
    expect(validateJobsConfig(inline(null), JOBS, KNOWN)).toEqual([]);
  });

  it('rejects a jobs value that is not a list, naming the path and the type', () => {
    expect(problemsOf(inline({ initial_delay: 'boot' }))).toEqual([
      '<inline config> core_lib.jobs: expected a list of jobs, found a mapping',
    ]);
    expect(problemsOf(inline('boot'))).toEqual([
      '<inline config> core_lib.jobs: expected a list of jobs, found string "boot"',
    ]);
  });

  it('matches a dotted Python class path by its last segment, and suggests the closest known job otherwise', () => {
    const ok = validateJobsConfig(
      inline([{ initial_delay: 'boot', handler: { class: 'a.b.Cleanup' } }]),
      JOBS,
      KNOWN,
    );
    expect(ok[0]).toMatchObject({
      name: 'Cleanup',
      className: 'a.b.Cleanup',
      where: "<inline config> core_lib.jobs[0] (name 'Cleanup', class 'a.b.Cleanup')",
    });
    expect(
      problemsOf(inline([{ initial_delay: 'boot', handler: { class: 'pkg.cleanUp' } }])),
    ).toEqual([
      expect.stringContaining(
        "handler.class: got \"pkg.cleanUp\", expected one of the app's jobs: Cleanup, SomeJob, UpdateCache; did you mean 'Cleanup'?",
      ),
    ]);
    expect(problemsOf(inline([{ initial_delay: 'boot', handler: { class: 'Zzz' } }]), [])).toEqual([
      expect.stringContaining(
        'handler.class: got "Zzz", expected the name of a job declared with @Job() (the app declares none)',
      ),
    ]);
  });

  it('returns disabled entries, still validated', () => {
    const entries = validateJobsConfig(
      inline([{ initial_delay: 'boot', enabled: false, handler: { class: 'Cleanup' } }]),
      JOBS,
      KNOWN,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].spec.enabled).toBe(false);
    expect(
      problemsOf(inline([{ enabled: false, frequency: '1x', handler: { class: 'Cleanup' } }])),
    ).toHaveLength(2);
  });

  it('accepts an interpolated "false" for enabled and a cron entry without initial_delay', () => {
    const config = inline(
      [{ cron: '*/5 * * * *', enabled: '${oc.env:ON}', handler: { class: 'Cleanup' } }],
      { ON: 'false' },
    );
    const [entry] = validateJobsConfig(config, JOBS, KNOWN);
    expect(entry.spec).toEqual({ cron: '*/5 * * * *', enabled: 'false' });
    expect(entry.policy.enabled).toBe(false);
    expect(entry.trigger).toEqual({
      kind: 'cron',
      initialDelayMs: 0,
      cron: '*/5 * * * *',
      timeZone: undefined,
    });
  });

  it('resolves each entry once: its trigger, policy and params are what the plan schedules', () => {
    const config = inline([
      {
        initial_delay: '1s',
        frequency: '1m',
        retries: 2,
        jitter: '5s',
        handler: { class: 'Cleanup', params: { a: 1 } },
      },
    ]);
    const [entry] = validateJobsConfig(config, JOBS, KNOWN);
    expect(entry.trigger).toEqual({ kind: 'interval', initialDelayMs: 1_000, frequencyMs: 60_000 });
    expect(entry.policy).toMatchObject({
      retries: 2,
      jitterMs: 5_000,
      mode: 'fixed-rate',
      enabled: true,
    });
    expect(entry.params).toEqual({ a: 1 });
  });

  it('leaves class names unchecked without a list of known jobs (the CLI without --jobs)', () => {
    const config = inline([{ initial_delay: 'boot', handler: { class: 'NoSuchJob' } }]);
    expect(validateJobsConfig(config, JOBS, undefined).map((e) => e.className)).toEqual([
      'NoSuchJob',
    ]);
    expect(problemsOf(config)).toEqual([expect.stringContaining('handler.class: got "NoSuchJob"')]);
  });

  it('maps spec fields back to their snake_case YAML keys', () => {
    const problems = problemsOf(
      inline([
        {
          initial_delay: 'boot',
          frequency: '1m',
          time_zone: 'Europe/Paris',
          retry_delay: 'later',
          misfire_threshold: 5,
          handler: { class: 'Cleanup' },
        },
      ]),
    );
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain(`time_zone: got "Europe/Paris", expected to be used with 'cron'`);
    expect(problems[1]).toContain("misfire_threshold: got 5, expected a duration such as '30s'");
    expect(problems[2]).toContain('retry_delay: got "later", expected');
  });

  it('reports bad names, handlers, duration types and far-off keys', () => {
    const problems = problemsOf(
      inline([
        { name: '', initial_delay: 'boot', handler: 'Cleanup' },
        { initial_delay: true, frequency: ['1m'], zzzzzzzz: 1, handler: { class: 'Cleanup' } },
      ]),
    );
    expect(problems).toEqual([
      '<inline config> core_lib.jobs[0]: name: got "", expected a non-empty string',
      "<inline config> core_lib.jobs[0]: handler: got \"Cleanup\", expected a mapping with 'class' (and optional 'params')",
      expect.stringMatching(
        /^<inline config> core_lib\.jobs\[1\] \(name 'Cleanup', class 'Cleanup'\): zzzzzzzz: got 1, expected one of the known keys: name, handler, initial_delay, frequency, /,
      ),
      "<inline config> core_lib.jobs[1] (name 'Cleanup', class 'Cleanup'): initial_delay: got true, expected a duration string such as '30s' or '2h32m'",
      "<inline config> core_lib.jobs[1] (name 'Cleanup', class 'Cleanup'): frequency: got [\"1m\"], expected a duration string such as '30s' or '2h32m'",
    ]);
  });

  describe('prototype names', () => {
    it('reports constructor, toString and __proto__ keys as unknown keys, with their values', () => {
      const entry = JSON.parse(
        '{"initial_delay": "boot", "__proto__": {"frequency": "1s"}, "constructor": "x", ' +
          '"handler": {"class": "Cleanup", "toString": 1}}',
      );
      expect(problemsOf(inline([entry]))).toEqual([
        expect.stringMatching(
          /handler\.toString: got 1, expected one of the known keys: class, params$/,
        ),
        expect.stringMatching(
          /: __proto__: got \{"frequency":"1s"\}, expected one of the known keys: name, handler, /,
        ),
        expect.stringMatching(
          /: constructor: got "x", expected one of the known keys: name, handler, /,
        ),
      ]);
    });

    it("reads only the entry's own keys, even with a polluted Object.prototype", () => {
      const proto = Object.prototype as Record<string, unknown>;
      proto.frequency = '1s';
      proto.name = 'from-the-prototype';
      proto.params = { leaked: true };
      try {
        const [entry] = validateJobsConfig(
          inline([{ initial_delay: 'boot', handler: { class: 'Cleanup' } }]),
          JOBS,
          KNOWN,
        );
        expect(entry.name).toBe('Cleanup');
        expect(Object.hasOwn(entry.spec, 'frequency')).toBe(false);
        expect(Object.hasOwn(entry.spec, 'params')).toBe(false);
      } finally {
        delete proto.frequency;
        delete proto.name;
        delete proto.params;
      }
    });
  });

  describe('durations below the scheduler step, or not numbers at all', () => {
    it.each(['0.4ms', '0.0001s', '0s'])('frequency %j: expected at least 1ms', (frequency) => {
      expect(
        problemsOf(inline([{ initial_delay: 'boot', frequency, handler: { class: 'Cleanup' } }])),
      ).toEqual([
        `<inline config> core_lib.jobs[0] (name 'Cleanup', class 'Cleanup'): frequency: got "${frequency}", ` +
          "expected a duration of at least 1ms (the scheduler's step; a shorter period cannot be kept)",
      ]);
    });

    it('YAML .nan and .inf are not durations, and get no silly unit hint', () => {
      const config = loadConfig(`${FIXTURES}/nan-durations.yaml`, {})!;
      const problems = problemsOf(config);
      expect(problems).toEqual([
        expect.stringMatching(
          /:4 core_lib\.jobs\[0\] .*: frequency: got NaN, expected a duration such as '30s'.*\(16 minutes\)$/,
        ),
        expect.stringMatching(
          /:5 core_lib\.jobs\[0\] .*: jitter: got Infinity, expected a duration such as '30s'.*\(16 minutes\)$/,
        ),
      ]);
    });

    it('timeout and retry_delay: at most a Node timer (2^31 - 1 ms)', () => {
      expect(
        problemsOf(
          inline([
            {
              initial_delay: 'boot',
              timeout: '25d',
              retry_delay: '1y',
              handler: { class: 'Cleanup' },
            },
          ]),
        ),
      ).toEqual([
        expect.stringMatching(
          /timeout: got "25d", expected a duration of at most 3w3d20h31m23\.647s \(the longest delay of a Node timer/,
        ),
        expect.stringMatching(
          /retry_delay: got "1y", expected a duration of at most 3w3d20h31m23\.647s/,
        ),
      ]);
    });

    it('accepts the parse-duration forms', () => {
      const config = inline([
        {
          initial_delay: '1hr',
          frequency: '1y 2mo',
          timeout: '250ms',
          handler: { class: 'Cleanup' },
        },
      ]);
      const { trigger, policy } = validateJobsConfig(config, JOBS, KNOWN)[0];
      expect(trigger).toEqual({
        kind: 'interval',
        initialDelayMs: 3_600_000,
        frequencyMs: 36_817_200_000,
      });
      expect(policy?.timeoutMs).toBe(250);
    });
  });
});

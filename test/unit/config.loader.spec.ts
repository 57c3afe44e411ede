import { jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { validateJobsConfig } from '../../lib/config/jobs-config.validator.js';
import { loadConfig, unresolvedProblem } from '../../lib/config/config.loader.js';
import { InvalidJobsConfigError } from '../../lib/errors/invalid-jobs-config.error.js';

const FIXTURES = 'test/fixtures/config';

function loadError(
  config: string | object | undefined,
  env: NodeJS.ProcessEnv = {},
): InvalidJobsConfigError {
  try {
    loadConfig(config, env);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    return error as InvalidJobsConfigError;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('reads a YAML file as YAML 1.2: 16:00 and None stay strings', () => {
    const config = loadConfig(`${FIXTURES}/valid.yaml`, {})!;
    expect(config.source).toBe(`${FIXTURES}/valid.yaml`);
    expect(config.at('core_lib.jobs.0.frequency')).toBe('16:00');
    expect(config.at('core_lib.jobs.1.frequency')).toBe('None');
    expect(config.at('core_lib.jobs.1.handler.params')).toBeNull();
    expect(config.at('core_lib.jobs.0.handler.params')).toEqual({ some_param: 'some value' });
    expect((config.at('core_lib.jobs') as unknown[]).length).toBe(4);
    expect(config.at('core_lib.nothing.here')).toBeUndefined();
    expect(config.at('core_lib.jobs.0.frequency.deeper')).toBeUndefined();
  });

  it('gives 1-based lines of mapping keys and list items', () => {
    const config = loadConfig(resolve(FIXTURES, 'valid.yaml'), {})!;
    expect(config.lineOf('core_lib.jobs')).toBe(3);
    expect(config.lineOf('core_lib.jobs.0')).toBe(4);
    expect(config.lineOf('core_lib.jobs.0.frequency')).toBe(5);
    expect(config.lineOf('core_lib.jobs.2')).toBe(17);
    expect(config.lineOf('core_lib.jobs.3.handler.class')).toBe(28);
    expect(config.lineOf('core_lib.jobs.3.frequency')).toBeUndefined();
    expect(config.lineOf('core_lib.jobs.9')).toBeUndefined();
  });

  it('accepts an already-parsed object, interpolated, without lines', () => {
    const input = { core_lib: { jobs: [{ initial_delay: '${oc.env:DELAY,1m}' }] } };
    const config = loadConfig(input, { DELAY: '5s' })!;
    expect(config.source).toBe('<inline config>');
    expect(config.at('core_lib.jobs.0.initial_delay')).toBe('5s');
    expect(config.lineOf('core_lib.jobs.0')).toBeUndefined();
    expect(input.core_lib.jobs[0].initial_delay).toBe('${oc.env:DELAY,1m}');
  });

  it('interpolates env values from the given env object', () => {
    const config = loadConfig(`${FIXTURES}/env.yaml`, {
      FIRST_DELAY: '5s',
      JOBS_ENABLED: 'false',
    })!;
    expect(config.at('core_lib.jobs.0')).toEqual({
      initial_delay: '5s',
      frequency: '10m',
      enabled: 'false',
      handler: {
        class: 'UpdateCache',
        params: { greeting: 'Hello dear user, costs ${price}', '${NOT_A_KEY}': 'kept' },
      },
    });
  });

  it('keeps every interpolation problem, with path, text and expectation, for the validator to report', () => {
    const file = `${FIXTURES}/env-errors.yaml`;
    const config = loadConfig(file, {})!;
    expect(config.unresolved).toHaveLength(4);
    expect(config.unresolved[0]).toEqual({
      path: 'core_lib.jobs.0.enabled',
      text: '${oc.env:JOBS_ENABLED}',
      expected:
        'environment variable JOBS_ENABLED is not set and has no default (set it, or write ${oc.env:JOBS_ENABLED,default})',
    });
    expect(config.unresolved[1]).toMatchObject({
      path: 'core_lib.jobs.0.handler.params.secret',
      expected: expect.stringContaining("unsupported resolver 'oc.decode'"),
    });
    expect(config.unresolved[2]).toMatchObject({
      path: 'core_lib.jobs.0.handler.params.other',
      text: '${foo:bar}',
      expected: expect.stringContaining("unsupported resolver 'foo'"),
    });
    expect(config.unresolved[3]).toMatchObject({
      path: 'core_lib.jobs.0.handler.params.list.0',
      text: '${MISSING_TOO}',
    });
    expect(unresolvedProblem(config, config.unresolved[0])).toBe(
      `${file}:4 core_lib.jobs.0.enabled: cannot resolve \${oc.env:JOBS_ENABLED}: ` +
        'environment variable JOBS_ENABLED is not set and has no default (set it, or write ${oc.env:JOBS_ENABLED,default})',
    );
    // The validator reports them with their entry, and does not validate the unresolved text again.
    const error = (() => {
      try {
        validateJobsConfig(config, 'core_lib.jobs', ['UpdateCache', 'SomeJob', 'Cleanup']);
      } catch (e) {
        return e as InvalidJobsConfigError;
      }
      throw new Error('expected a throw');
    })();
    expect(error.problems).toHaveLength(4);
    expect(error.problems[0]).toMatch(
      new RegExp(
        `^${file}:4 core_lib\\.jobs\\[0\\] \\(name '[^']+', class '[^']+'\\): enabled: got "\\$\\{oc\\.env:JOBS_ENABLED\\}", expected a resolvable value \\(environment variable JOBS_ENABLED is not set`,
      ),
    );
  });

  describe('a value that contains itself is a config error, not a stack overflow', () => {
    it('a YAML alias inside its own anchor: names the file, the line and the path', () => {
      const file = `${FIXTURES}/recursive-alias.yaml`;
      expect(loadError(file).problems).toEqual([
        `${file}:8 core_lib.jobs.0.handler.params: contains itself (an alias inside its own anchor, such as *x within &x, ` +
          'or a cyclic object); expected plain data without cycles',
      ]);
    });

    it('a mapping that holds itself, while an alias to a sibling anchor stays fine', () => {
      const file = `${FIXTURES}/recursive-params.yaml`;
      expect(loadError(file).problems).toEqual([
        expect.stringMatching(
          new RegExp(`^${file}:8 core_lib\\.jobs\\.0\\.handler\\.params\\.again: contains itself`),
        ),
      ]);
    });

    it('a cyclic object passed as config: names the path', () => {
      const params: Record<string, unknown> = { key: 'users' };
      params.self = params;
      const config = {
        core_lib: { jobs: [{ initial_delay: '1s', handler: { class: 'UpdateCache', params } }] },
      };
      expect(loadError(config).problems).toEqual([
        expect.stringMatching(
          /^<inline config> core_lib\.jobs\.0\.handler\.params\.self: contains itself/,
        ),
      ]);
    });

    it('an object nested deeper than any config: names the path', () => {
      let deep: unknown = 'x';
      for (let i = 0; i < 10_000; i++) deep = { d: deep };
      expect(loadError({ core_lib: { jobs: [{ handler: { params: deep } }] } }).problems).toEqual([
        expect.stringMatching(
          /^<inline config> core_lib\.jobs\.0\.handler\.params(\.d)+: nests more than 100 levels deep/,
        ),
      ]);
    });

    // The fast block reader recursed once per level and let a RangeError out (the app failed to
    // start with "Maximum call stack size exceeded" and no file or line); `yaml` overflowed too.
    describe('a YAML file nested thousands of levels deep', () => {
      let dir: string;
      beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'core-lib-jobs-deep-'))));
      afterAll(() => rmSync(dir, { recursive: true, force: true }));
      const levels = 5_000;
      const documents: Record<string, string> = {
        'block mappings': Array.from(
          { length: levels },
          (_, i) => `${' '.repeat(4 + i)}k${i}:`,
        ).join('\n'),
        'block lists': Array.from({ length: levels }, (_, i) => `${' '.repeat(4 + 2 * i)}- `)
          .join('\n')
          .concat('1'),
        'flow lists': `    ${'['.repeat(levels)}${']'.repeat(levels)}`,
      };

      it.each(Object.keys(documents))('%s: a config error naming the file, not a crash', (kind) => {
        const file = join(dir, `${kind.replaceAll(' ', '-')}.yaml`);
        writeFileSync(file, `core_lib:\n  jobs:\n${documents[kind]}\n`);
        const { problems } = loadError(file);
        expect(problems).toHaveLength(1);
        // file:line:column (a parser error), file:line (the path found too deep) or file: (the
        // document built from it overflowed), then the reason.
        expect(problems[0].startsWith(`${file}:`)).toBe(true);
        expect(problems[0]).toContain('nests more than 100 levels deep');
      });
    });
  });

  it('looks paths up as own keys only: prototype names are absent', () => {
    const config = loadConfig({ core_lib: { jobs: [] }, name: 'x' }, {})!;
    for (const path of [
      'constructor',
      'toString',
      '__proto__',
      'core_lib.constructor',
      'core_lib.jobs.length',
      'name.length',
    ]) {
      expect(config.at(path)).toBeUndefined();
    }
    const own = loadConfig(JSON.parse('{ "__proto__": { "jobs": 1 }, "constructor": 2 }'), {})!;
    expect(own.at('__proto__.jobs')).toBe(1);
    expect(own.at('constructor')).toBe(2);
  });

  it('names the absolute path of a missing explicit file', () => {
    const error = loadError(`${FIXTURES}/does-not-exist.yaml`);
    expect(error.problems).toEqual([
      expect.stringContaining(`config file not found: ${resolve(FIXTURES, 'does-not-exist.yaml')}`),
    ]);
  });

  it('reports a YAML syntax error with file:line:column and the reason', () => {
    const error = loadError(`${FIXTURES}/syntax-error.yaml`);
    // The unclosed `[` on line 4 is only detected where the next entry starts.
    expect(error.problems).toEqual([
      `${FIXTURES}/syntax-error.yaml:5:5 YAML syntax error: ` +
        'Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  describe('default file', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'core-lib-jobs-'));
      jest.spyOn(process, 'cwd').mockReturnValue(dir);
    });
    afterEach(() => {
      jest.restoreAllMocks();
      rmSync(dir, { recursive: true, force: true });
    });

    it('returns undefined when config is undefined and core_lib.yaml is absent', () => {
      expect(loadConfig(undefined, {})).toBeUndefined();
    });

    it('reads core_lib.yaml from the working directory', () => {
      writeFileSync(join(dir, 'core_lib.yaml'), 'core_lib:\n  jobs: []\n');
      const config = loadConfig(undefined, {})!;
      expect(config.source).toBe('core_lib.yaml');
      expect(config.at('core_lib.jobs')).toEqual([]);
    });

    it('resolves a relative path against the working directory and reports an unreadable one', () => {
      mkdirSync(join(dir, 'a-directory.yaml'));
      const error = loadError('a-directory.yaml');
      expect(error.problems).toEqual([
        expect.stringMatching(
          new RegExp(`^cannot read config file ${join(dir, 'a-directory.yaml')}: `),
        ),
      ]);
    });
  });

  it('formats the error as one line per problem', () => {
    const error = new InvalidJobsConfigError(['first', 'second']);
    expect(error.name).toBe('InvalidJobsConfigError');
    expect(error.message).toBe('Invalid jobs config: 2 problem(s)\n  - first\n  - second');
  });
});

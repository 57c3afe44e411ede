import { interpolate, MAX_DEPTH } from '../../lib/config/config.interpolation.js';

type Issue = [path: string, text: string, expected: string];

function run(
  value: unknown,
  env: NodeJS.ProcessEnv,
): { result: unknown; issues: Issue[]; shapes: string[][] } {
  const issues: Issue[] = [];
  const shapes: string[][] = [];
  const result = interpolate(
    value,
    env,
    (path, text, expected) => issues.push([path, text, expected]),
    (path, problem) => shapes.push([path, problem]),
  );
  return { result, issues, shapes };
}

describe('interpolate', () => {
  it('resolves ${oc.env:VAR}, a default, and the short ${VAR} form inside strings', () => {
    const { result, issues } = run(
      {
        a: '${oc.env:HOST}',
        b: 'http://${HOST}:${oc.env: PORT ,8080}/x',
        c: '${oc.env:NOPE,fallback value}',
      },
      { HOST: 'example.org' },
    );
    expect(issues).toEqual([]);
    expect(result).toEqual({
      a: 'example.org',
      b: 'http://example.org:8080/x',
      c: 'fallback value',
    });
  });

  it('accepts an empty default and a quoted default with a comma, and treats an empty variable as set', () => {
    const { result } = run(['${oc.env:NOPE,}', "${oc.env:NOPE,'a, b'}", '[${EMPTY}]'], {
      EMPTY: '',
    });
    expect(result).toEqual(['', 'a, b', '[]']);
  });

  it('prefers the environment over the default', () => {
    expect(run('${oc.env:LEVEL,low}', { LEVEL: 'high' }).result).toBe('high');
  });

  it('keeps results as strings, even a lone "true", "null" or number', () => {
    const { result } = run(
      { on: '${ON}', none: '${NONE}', n: '${N}' },
      { ON: 'true', NONE: 'null', N: '42' },
    );
    expect(result).toEqual({ on: 'true', none: 'null', n: '42' });
  });

  it('turns \\${ into a literal ${ without resolving it', () => {
    expect(run('cost \\${price} and ${X}', { X: '1' }).result).toBe('cost ${price} and 1');
  });

  it('walks nested lists and mappings, leaves keys and non-strings alone, and does not mutate the input', () => {
    const input = { '${K}': [{ deep: '${V}' }, 3, true, null] };
    const { result } = run(input, { K: 'key', V: 'value' });
    expect(result).toEqual({ '${K}': [{ deep: 'value' }, 3, true, null] });
    expect(input['${K}'][0]).toEqual({ deep: '${V}' });
  });

  it('reports every unresolvable interpolation with its dotted path, text and what was expected', () => {
    const { result, issues } = run(
      {
        jobs: [
          {
            enabled: '${oc.env:JOBS_ENABLED}',
            a: '${oc.decode:abc}',
            b: '${foo:bar}',
            c: '${a.b}',
            d: 'x ${open',
          },
        ],
      },
      {},
    );
    expect(issues).toHaveLength(5);
    expect(issues[0]).toEqual([
      'jobs.0.enabled',
      '${oc.env:JOBS_ENABLED}',
      expect.stringContaining('environment variable JOBS_ENABLED is not set and has no default'),
    ]);
    expect(issues[1]).toEqual([
      'jobs.0.a',
      '${oc.decode:abc}',
      expect.stringContaining("unsupported resolver 'oc.decode'"),
    ]);
    expect(issues[2]).toEqual([
      'jobs.0.b',
      '${foo:bar}',
      expect.stringContaining("unsupported resolver 'foo'"),
    ]);
    expect(issues[3]).toEqual(['jobs.0.c', '${a.b}', expect.stringContaining('${oc.env:VAR}')]);
    expect(issues[4]).toEqual(['jobs.0.d', '${', expect.stringContaining("a closing '}'")]);
    // Unresolved text is left in place so later messages still show it.
    expect((result as { jobs: Array<{ enabled: string }> }).jobs[0].enabled).toBe(
      '${oc.env:JOBS_ENABLED}',
    );
  });

  it('rejects an invalid variable name', () => {
    const { issues } = run('${oc.env:1BAD}', { '1BAD': 'x' });
    expect(issues).toEqual([
      ['', '${oc.env:1BAD}', expect.stringContaining('an environment variable name')],
    ]);
  });

  describe('names that Object.prototype also has are variables like any other', () => {
    it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])(
      '${%s} is unset, and its default applies',
      (name) => {
        const { result, issues } = run(
          { short: `\${${name}}`, withDefault: `\${oc.env:${name},5s}` },
          {},
        );
        expect(result).toEqual({ short: `\${${name}}`, withDefault: '5s' });
        expect(issues).toEqual([
          [
            'short',
            `\${${name}}`,
            expect.stringContaining(`environment variable ${name} is not set`),
          ],
        ]);
      },
    );

    it('reads them when they are set, from process.env too', () => {
      expect(
        run('${constructor}/${toString}', { constructor: 'a', toString: 'b' } as NodeJS.ProcessEnv)
          .result,
      ).toBe('a/b');
      expect(Object.hasOwn(process.env, 'constructor')).toBe(false);
      expect(run('${oc.env:constructor,none}', process.env).result).toBe('none');
    });
  });

  describe('values that are not plain data', () => {
    it('reports a list or mapping that contains itself, at the path where it comes back, instead of overflowing the stack', () => {
      const jobs: unknown[] = [];
      jobs.push({ handler: { params: jobs } });
      const { result, shapes } = run({ core_lib: { jobs } }, {});
      expect(shapes).toEqual([
        ['core_lib.jobs.0.handler.params', expect.stringContaining('contains itself')],
      ]);
      expect(result).toEqual({ core_lib: { jobs: [{ handler: { params: undefined } }] } });
    });

    it('accepts the same object in two places (a YAML alias to a sibling), copying it each time', () => {
      const shared = { key: '${K}' };
      const { result, shapes } = run({ a: shared, b: [shared, shared] }, { K: 'v' });
      expect(shapes).toEqual([]);
      expect(result).toEqual({ a: { key: 'v' }, b: [{ key: 'v' }, { key: 'v' }] });
      const copy = result as { a: object; b: object[] };
      expect(copy.b[0]).not.toBe(copy.b[1]);
    });

    it(`reports nesting deeper than ${MAX_DEPTH} levels, instead of overflowing the stack`, () => {
      const root: Record<string, unknown> = {};
      let node = root;
      for (let i = 0; i < 20_000; i++) node = (node.x = {}) as Record<string, unknown>;
      const { shapes } = run(root, {});
      expect(shapes).toEqual([
        [
          Array(MAX_DEPTH).fill('x').join('.'),
          expect.stringContaining(`more than ${MAX_DEPTH} levels`),
        ],
      ]);
    });

    it(`accepts ${MAX_DEPTH} levels`, () => {
      let value: unknown = '${K}';
      for (let i = 0; i < MAX_DEPTH; i++) value = [value];
      expect(run(value, { K: 'v' }).shapes).toEqual([]);
    });
  });
});

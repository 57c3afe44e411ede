import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../../lib/config/config.loader.js';
import { validateJobsConfig } from '../../lib/config/jobs-config.validator.js';
import { InvalidJobsConfigError } from '../../lib/errors/invalid-jobs-config.error.js';

// The loader reads YAML 1.2 with the core schema, as the README says. These pin what that means
// for a config, whichever library reads the file.
let dir: string;
let count = 0;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'core-lib-jobs-schema-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to a fresh file; returns its path. */
function file(text: string): string {
  const path = join(dir, `config-${++count}.yaml`);
  writeFileSync(path, text);
  return path;
}

const read = (text: string) => loadConfig(file(text), {})!.document;

function problemsOf(path: string): string[] {
  try {
    loadConfig(path, {});
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJobsConfigError);
    return (error as InvalidJobsConfigError).problems as string[];
  }
  throw new Error(`expected ${path} to be refused`);
}

describe('YAML 1.2 core schema', () => {
  const scalars: [text: string, value: unknown][] = [
    ['true', true],
    ['True', true],
    ['FALSE', false],
    ['yes', 'yes'],
    ['on', 'on'],
    ['tRue', 'tRue'],
    ['~', null],
    ['Null', null],
    ['None', 'None'],
    ['16:00', '16:00'],
    ['1:02:03', '1:02:03'],
    ['007', 7],
    ['0o17', 15],
    ['0x1F', 31],
    ['0b1', '0b1'],
    ['1_000', '1_000'],
    ['+5', 5],
    ['-12', -12],
    ['1e3', 1000],
    ['.5', 0.5],
    ['-.inf', -Infinity],
    ['.nan', NaN],
    ['2001-12-14', '2001-12-14'],
    ["'it''s'", "it's"],
    ['"a\\tb"', 'a\tb'],
    ['1.5 hours', '1.5 hours'],
    ['${oc.env:HOME}', '${oc.env:HOME}'],
  ];

  it.each(scalars)('reads %s as %p', (text, value) => {
    expect(read(`v: ${text}\n`)).toEqual({ v: value });
  });

  it('reads every scalar above as the `yaml` package does in YAML 1.2 mode', () => {
    for (const [text] of scalars) {
      expect({ text, value: read(`v: ${text}\n`) }).toEqual({ text, value: parse(`v: ${text}\n`) });
    }
  });

  it('resolves anchors and aliases, and keeps `<<` a plain key (no YAML 1.1 merge)', () => {
    const text = 'base: &b\n  x: 1\nm:\n  <<: *b\n  y: 2\ncopy: *b\n';
    expect(read(text)).toEqual({ base: { x: 1 }, m: { '<<': { x: 1 }, y: 2 }, copy: { x: 1 } });
  });

  it('reads flow collections, block scalars and `__proto__` as an own key', () => {
    expect(read('a: [1, {b: c}]\nt: |\n  one\n  two\n__proto__: {x: 1}\n')).toEqual(
      JSON.parse('{"a":[1,{"b":"c"}],"t":"one\\ntwo\\n","__proto__":{"x":1}}'),
    );
  });

  it('reads an empty or comment-only file as no document: no jobs', () => {
    for (const text of ['', '# nothing yet\n']) {
      const config = loadConfig(file(text), {})!;
      expect(config.document).toBeNull();
      expect(validateJobsConfig(config, 'core_lib.jobs', [])).toEqual([]);
    }
  });

  it('refuses a duplicate key with file:line:column', () => {
    const path = file('core_lib:\n  jobs: []\n  jobs: []\n');
    expect(problemsOf(path)).toEqual([`${path}:3:3 YAML syntax error: Map keys must be unique`]);
  });

  it('refuses a file of several documents', () => {
    const path = file('core_lib:\n  jobs: []\n---\nother: 1\n');
    expect(problemsOf(path)).toEqual([
      expect.stringMatching(new RegExp(`^${path}:3:1 YAML syntax error: .*multiple documents`)),
    ]);
  });

  // `yaml` read these with a process warning and went on: `!secret 5` became '5'.
  it('refuses an unknown tag, with file:line:column', () => {
    const tagged = file('core_lib:\n  jobs:\n    - initial_delay: !secret 5\n');
    expect(problemsOf(tagged)).toEqual([
      expect.stringMatching(new RegExp(`^${tagged}:3:\\d+ YAML syntax error: .*!secret`)),
    ]);
  });

  it.each([150, 1_500, 20_000])(
    'refuses lists nested %i deep as too deep, naming the file',
    (levels) => {
      const path = file(`core_lib:\n  jobs: ${'['.repeat(levels)}${']'.repeat(levels)}\n`);
      const problems = problemsOf(path);
      expect(problems).toHaveLength(1);
      expect(problems[0].startsWith(`${path}:`)).toBe(true);
      expect(problems[0]).toContain('nests more than 100 levels deep');
    },
  );

  it('gives the lines of a file js-yaml reads but which has a problem in an entry', () => {
    const path = file(
      'core_lib:\n  jobs:\n    - name: a\n      initial_delay: 1h\n      frequncy: 1h\n' +
        '      handler: {class: UpdateCache}\n',
    );
    expect(() =>
      validateJobsConfig(loadConfig(path, {})!, 'core_lib.jobs', ['UpdateCache']),
    ).toThrow(
      new RegExp(`${path}:5 core_lib\\.jobs\\[0\\] \\(name 'a', class 'UpdateCache'\\): frequncy`),
    );
  });
});

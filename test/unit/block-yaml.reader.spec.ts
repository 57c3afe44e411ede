import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { readBlockYaml } from '../../lib/config/block-yaml.reader.js';
import { loadConfig, type LoadedConfig } from '../../lib/config/config.loader.js';
import { validateJobsConfig } from '../../lib/config/jobs-config.validator.js';

// The fast reader must read every document it accepts exactly as `yaml` does: same value, same
// lines, same problems. Documents are generated from tricky pieces (seeded, so reproducible);
// each is loaded twice, once as is and once with a tab in a trailing comment, which sends it to
// `yaml` without changing its meaning or its lines.
const KEYS = ['a', 'b', 'name', 'k-1', '_x', 'yes', 'On', 'x1', 'c', 'd', 'e', 'f', 'g', 'h'];
const ODD_KEYS = ['true', 'Null', '__proto__', 'a b', '1', '"q"'];
const PLAIN = [
  '1h',
  "'0 3 * * *'",
  '"a b"',
  'job-1',
  'x',
  '16:00',
  'None',
  '3',
  '${oc.env:HOME}',
  'true',
  '~',
];
const SCALARS = [
  '1h',
  "'it''s'",
  "'a'b'",
  '"a\\"b"',
  '"a"b"',
  "' #x'",
  '""',
  "''",
  '30s',
  '16:00',
  '1:02:03',
  'None',
  'null',
  'Null',
  'NULL',
  '~',
  'true',
  'True',
  'TRUE',
  'tRue',
  'yes',
  'on',
  '0',
  '-0',
  '+5',
  '007',
  '-12',
  '1e3',
  '1.5',
  '.5',
  '.inf',
  '-.inf',
  '.nan',
  '0x1F',
  '0o17',
  '0b1',
  '1_000',
  '12345678901234567890',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  'a  b',
  'http://h:1/p',
  '${oc.env:HOME}',
  '${oc.env:X,d}',
  '"q"',
  "'q'",
  '[a]',
  '{a: 1}',
  'a,b',
  ']',
  '-x',
  '- x',
  '-',
  '?x',
  ':x',
  '!t',
  '&a',
  '*a',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  'x:',
  'a\\b',
  '=',
  '<<',
  ', x',
  '#x',
  '---',
  '...',
  'a ~',
  '( x )',
  '1.5 hours',
  'job-1',
];
const NOISE = ['-', '- ', 'x', '  more', '---', '...', 'a:b', 'a :b', '? x', '  # note', '', '%Y'];

/** A small seeded PRNG (mulberry32), so a failure names a reproducible seed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(seed: number): string {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)];
  const key = () => pick(rnd() < 0.95 ? KEYS : ODD_KEYS);
  const scalar = () => pick(rnd() < 0.6 ? PLAIN : SCALARS);
  const out: string[] = [];
  const pad = (n: number) => ' '.repeat(n);
  const value = (indent: number, depth: number, prefix: string): void => {
    const r = rnd();
    if (depth > 2 || r < 0.5) {
      const comment = rnd() < 0.2 ? ' # c' : '';
      return void out.push(`${prefix} ${scalar()}${comment}`);
    }
    out.push(prefix + (rnd() < 0.1 ? ' # c' : ''));
    if (r < 0.75) return mapping(indent + pick([2, 2, 4, 1]), depth + 1);
    sequence(indent + pick([0, 2, 2, 3]), depth + 1);
  };
  const mapping = (indent: number, depth: number): void => {
    for (let i = 0, n = 1 + Math.floor(rnd() * 3); i < n; i++) {
      value(indent, depth, `${pad(indent)}${key()}:`);
    }
  };
  const sequence = (indent: number, depth: number): void => {
    for (let i = 0, n = 1 + Math.floor(rnd() * 3); i < n; i++) {
      const dash = `${pad(indent)}-${pad(pick([1, 1, 2]))}`;
      if (rnd() < 0.5) out.push(`${dash}${scalar()}`);
      else value(dash.length, depth, `${dash}${key()}:`);
    }
  };
  mapping(0, 0);
  if (rnd() < 0.3) {
    const at = Math.floor(rnd() * (out.length + 1));
    out.splice(at, 0, `${pad(Math.floor(rnd() * 3))}${pick(NOISE)}`);
  }
  if (rnd() < 0.2) out.unshift('# header');
  return `${out.join('\n')}\n`;
}

/** Every dotted path of a plain value. */
function paths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.keys(value).flatMap((key) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...paths((value as Record<string, unknown>)[key], path)];
  });
}

function load(file: string): LoadedConfig | string {
  try {
    return loadConfig(file, { HOME: '/home/x' })!;
  } catch (error) {
    return String(error);
  }
}

describe('readBlockYaml', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'block-yaml-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what it accepts exactly as yaml does (values, lines, problems)', () => {
    let accepted = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const text = generate(seed);
      if (!readBlockYaml(text)) continue;
      accepted++;
      const doc = parseDocument(text, { version: '1.2' });
      expect({ seed, text, errors: doc.errors.map(String) }).toEqual({ seed, text, errors: [] });
      writeFileSync(join(dir, 'fast.yaml'), text);
      writeFileSync(join(dir, 'yaml.yaml'), `${text}#\t\n`);
      const fast = load(join(dir, 'fast.yaml'));
      const slow = load(join(dir, 'yaml.yaml'));
      expect(readBlockYaml(`${text}#\t\n`)).toBeUndefined();
      if (typeof fast === 'string' || typeof slow === 'string') {
        expect({ seed, fast }).toEqual({ seed, fast: slow });
        continue;
      }
      expect({ seed, document: fast.document }).toEqual({ seed, document: slow.document });
      expect(fast.unresolved).toEqual(slow.unresolved);
      const all = ['', 'nowhere', 'a.0.zz', ...paths(fast.document)];
      const lines = (c: LoadedConfig) => all.map((p) => [p, c.lineOf(p)]);
      expect({ seed, lines: lines(fast) }).toEqual({ seed, lines: lines(slow) });
    }
    // The generator must exercise the fast path, not only the fallback.
    expect(accepted).toBeGreaterThan(500);
  });

  it('leaves everything outside the subset to yaml', () => {
    const cases = [
      'a: "q\\n"\n',
      'a: [1]\n',
      'a: &x 1\nb: *x\n',
      'a: |\n  text\n',
      'a: b\n  more\n',
      'a: 1\na: 2\n',
      'a: 1.5\n',
      'a:\n-\n',
      '\ta: 1\n',
      'a: 1\r\n',
      '- a\n',
      '# only a comment\n',
      'a: é\n',
    ];
    for (const text of cases) expect({ text, read: readBlockYaml(text) }).toEqual({ text });
  });

  it('reads a jobs file with its lines', () => {
    const text = 'core_lib:\n  jobs:\n  # first\n  - name: a\n    frequency: 1h\n    retries: 3\n';
    const read = readBlockYaml(text)!;
    expect(read.value).toEqual({
      core_lib: { jobs: [{ name: 'a', frequency: '1h', retries: 3 }] },
    });
    const jobs = (read.value.core_lib as { jobs: object }).jobs;
    expect(read.lines.get(jobs)).toEqual([4]);
  });

  it('gives the validator the same lines as yaml: every problem reads the same', () => {
    const text = [
      '# jobs with problems',
      'core_lib:',
      '  jobs:',
      '    - name: a',
      '      initial_delay: 1h',
      '      frequency: 30 sec0nds',
      '      handler:',
      '        class: Missing',
      '    - name: a',
      '      initial_delay: ${oc.env:NOT_SET}',
      '      frequncy: 1h',
      '      handler:',
      '        params: 3',
      '    - cron: 0 3 * * *',
      '      handler:',
      "        class: 'Cleanup'",
      '',
    ].join('\n');
    const problems = (file: string, body: string): string[] => {
      writeFileSync(file, body);
      try {
        validateJobsConfig(loadConfig(file, {})!, 'core_lib.jobs', ['Cleanup']);
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
      return [];
    };
    expect(readBlockYaml(text)).toBeDefined();
    const fast = problems(join(dir, 'jobs.yaml'), text);
    expect(fast.length).toBeGreaterThan(4);
    expect(fast.join('\n')).toMatch(/jobs\.yaml:6 /);
    expect(fast).toEqual(problems(join(dir, 'jobs.yaml'), `${text}#\t\n`));
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../lib/config/config.loader.js';
import { validateJobsConfig } from '../../lib/config/jobs-config.validator.js';
import { InvalidJobsConfigError } from '../../lib/errors/invalid-jobs-config.error.js';

const JOBS = 'core_lib.jobs';

/** A plain block YAML file of `count` entries; `entry(i)` gives entry i's lines, unindented. */
function yamlOf(count: number, entry: (i: number) => string[]): string {
  const lines = ['core_lib:', '  jobs:'];
  for (let i = 0; i < count; i++) {
    const [first, ...rest] = entry(i);
    lines.push(`    - ${first}`, ...rest.map((line) => `      ${line}`));
  }
  return `${lines.join('\n')}\n`;
}

describe('large config files', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'core-lib-jobs-large-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  // Naming unnamed entries counted, for each entry, the entries of its class: 50,000 unnamed
  // entries took minutes. Counted once, they take milliseconds.
  it('names 50,000 unnamed entries, of one class or of many, in one pass', () => {
    const count = 50_000;
    const many = loadConfig({
      core_lib: {
        jobs: Array.from({ length: count }, (_, i) => ({
          initial_delay: '1h',
          handler: { class: `pkg.Job${i}` },
        })),
      },
    })!;
    const known = Array.from({ length: count }, (_, i) => `Job${i}`);
    const names = validateJobsConfig(many, JOBS, undefined).map((e) => e.name);
    expect(names).toHaveLength(count);
    expect(names[0]).toBe('Job0');
    expect(names[count - 1]).toBe(`Job${count - 1}`);
    expect(new Set(names).size).toBe(count);
    expect(known).toContain(names[12_345]);

    const one = loadConfig({
      core_lib: {
        jobs: Array.from({ length: count }, () => ({
          initial_delay: '1h',
          handler: { class: 'Cleanup' },
        })),
      },
    })!;
    const shared = validateJobsConfig(one, JOBS, ['Cleanup']).map((e) => e.name);
    expect(shared[0]).toBe('Cleanup[0]');
    expect(shared[count - 1]).toBe(`Cleanup[${count - 1}]`);
  });

  // Lines are read only when a message needs one (the text is then read again, with them): the
  // message must still point at the right line of a big file.
  it('points a problem deep in a 20,000-entry file at its line', () => {
    const bad = 17_321;
    const file = write(
      'jobs.yaml',
      yamlOf(20_000, (i) => [
        `name: job-${i}`,
        'initial_delay: 1h',
        i === bad ? 'frequency: soon' : 'frequency: 1h',
        'handler:',
        '  class: Cleanup',
      ]),
    );
    let problems: string[] = [];
    try {
      validateJobsConfig(loadConfig(file, {})!, JOBS, ['Cleanup']);
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidJobsConfigError);
      problems = (error as InvalidJobsConfigError).problems;
    }
    // Line 1 `core_lib:`, line 2 `jobs:`, then 5 lines an entry: its frequency is its 3rd line.
    const line = 2 + bad * 5 + 3;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      `${file}:${line} ${JOBS}[${bad}] (name 'job-${bad}', class 'Cleanup'): frequency: got "soon"`,
    );
  });

  it('says where a valid entry of a big file is, with its line, when asked', () => {
    const file = write(
      'valid.yaml',
      yamlOf(20_000, (i) => [
        `name: job-${i}`,
        'initial_delay: boot',
        'handler:',
        '  class: Cleanup',
      ]),
    );
    const entries = validateJobsConfig(loadConfig(file, {})!, JOBS, ['Cleanup']);
    expect(entries[19_999].where).toBe(
      `${file}:${2 + 19_999 * 4 + 1} ${JOBS}[19999] (name 'job-19999', class 'Cleanup')`,
    );
    expect(entries[0].where).toBe(`${file}:3 ${JOBS}[0] (name 'job-0', class 'Cleanup')`);
  });
});

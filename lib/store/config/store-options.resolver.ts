import { fieldProblem, unknownKey } from '../../config/config.messages.js';
import { InvalidJobsConfigError } from '../../errors/invalid-jobs-config.error.js';
import type { JobStoreOptions } from '../../interfaces/job-store-options.interface.js';
import { closestMatch } from '../../utils/closest-match.js';
import { snakeCase } from '../../utils/snake-case.js';
import { STORE_EXPECTED } from '../store.messages.js';
import { checkStoreOptions, historyOf } from './store-options.validator.js';

/** YAML key → `JobStoreOptions` field. */
const YAML_FIELDS: Record<string, string> = {
  backend: 'backend',
  path: 'path',
  url: 'url',
  key_prefix: 'keyPrefix',
  table: 'table',
  history: 'history',
};
const YAML_KEYS = Object.keys(YAML_FIELDS);
const YAML_BACKENDS = ['memory', 'file', 'redis', 'postgres'];

/**
 * Validates YAML `core_lib.jobs_store` (snake_case) into `JobStoreOptions`. Every problem lands
 * in one `InvalidJobsConfigError`, one line each (`<where>: <field>: got <value>, expected ...`).
 * A relative `path` is taken from the working directory; `history` may be an interpolated
 * `${oc.env:...}` string of digits.
 */
export function resolveStoreConfig(section: unknown, where: string): JobStoreOptions {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    const got = section === null ? 'empty' : `got ${JSON.stringify(section)}`;
    throw new InvalidJobsConfigError([`${where}: ${got}, expected ${STORE_EXPECTED.section}`]);
  }
  const problems: string[] = [];
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    if (Object.hasOwn(YAML_FIELDS, key)) options[YAML_FIELDS[key]] = value;
    else {
      const expected = unknownKey(closestMatch(key, YAML_KEYS), YAML_KEYS);
      problems.push(fieldProblem(where, key, value, expected));
    }
  }
  const check = { backends: YAML_BACKENDS, historyAsText: true, label: snakeCase };
  for (const issue of checkStoreOptions(options, check)) {
    problems.push(fieldProblem(where, issue.field, issue.value, issue.expected));
  }
  if (problems.length) throw new InvalidJobsConfigError(problems);
  if (options.history !== undefined) options.history = historyOf(options.history, true);
  return options as unknown as JobStoreOptions;
}

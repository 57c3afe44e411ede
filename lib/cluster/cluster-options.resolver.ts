import { fieldProblem, unknownKey } from '../config/config.messages.js';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import type { ClusterOptions } from '../interfaces/cluster-options.interface.js';
import { parseBoolean } from '../utils/boolean.js';
import { closestMatch } from '../utils/closest-match.js';
import { snakeCase } from '../utils/snake-case.js';
import { checkClusterOptions } from './cluster-options.validator.js';
import { EXPECTED } from './cluster.messages.js';

/** YAML key → `ClusterOptions` field. `enabled` is YAML's own: `false` turns cluster mode off. */
const YAML_FIELDS: Record<string, string> = {
  backend: 'backend',
  url: 'url',
  key_prefix: 'keyPrefix',
  lease: 'lease',
  replica_id: 'replicaId',
  table: 'table',
  enabled: 'enabled',
};
const YAML_KEYS = Object.keys(YAML_FIELDS);

/**
 * Validates YAML `core_lib.jobs_cluster` (snake_case) into `ClusterOptions`, or undefined when
 * `enabled: false`. Every problem lands in one `InvalidJobsConfigError`, one line each. `url` is
 * taken as written (`${oc.env:REDIS_URL}` is already resolved); without it the client library's
 * defaults apply (ioredis: 127.0.0.1:6379; pg: the PG* environment variables).
 */
export function resolveClusterConfig(section: unknown, where: string): ClusterOptions | undefined {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) {
    throw new InvalidJobsConfigError([
      `${where}: ${section === null ? 'empty' : `got ${JSON.stringify(section)}`}, expected ${EXPECTED.section}`,
    ]);
  }
  const problems: string[] = [];
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    // Own properties only: `toString` or `constructor` is an unknown key, not Object.prototype's.
    if (Object.hasOwn(YAML_FIELDS, key)) options[YAML_FIELDS[key]] = value;
    else
      problems.push(
        fieldProblem(where, key, value, unknownKey(closestMatch(key, YAML_KEYS), YAML_KEYS)),
      );
  }
  const { enabled, ...cluster } = options;
  const on = toFlag(enabled);
  if (on === undefined) problems.push(fieldProblem(where, 'enabled', enabled, 'true or false'));
  // `enabled: false` alone is enough; anything else written is still checked, so a typo never waits for the day it is turned on.
  if (on !== false || cluster.backend !== undefined) {
    const issues = checkClusterOptions(cluster, {
      backends: ['redis', 'postgres'],
      numbersAreMs: false,
      label: snakeCase,
    });
    problems.push(...issues.map((i) => fieldProblem(where, i.field, i.value, i.expected)));
  }
  if (problems.length) throw new InvalidJobsConfigError(problems);
  return on === false ? undefined : (cluster as unknown as ClusterOptions);
}

/** YAML booleans, or their text from an interpolated env value; undefined for anything else. */
function toFlag(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return true;
  return parseBoolean(value);
}

import type { FieldIssue } from '../engine/job-spec.js';
import { BAD_OPTION } from '../errors/job-scheduler.messages.js';
import { closestMatch } from '../utils/closest-match.js';
import { parseDuration } from '../utils/duration.parser.js';
import { MIN_LEASE_MS } from './cluster.constants.js';


const COMMON_FIELDS = ['backend', 'keyPrefix', 'lease', 'replicaId'];
/** Fields that only mean something for one backend. */
const BACKEND_FIELDS: Record<string, readonly string[]> = { redis: ['url', 'client'], postgres: ['url', 'pool', 'table'], custom: ['lock'] };
export const CLUSTER_FIELDS = [...new Set([...COMMON_FIELDS, ...Object.values(BACKEND_FIELDS).flat()])];
const URL_SCHEMES: Record<string, readonly string[]> = { redis: ['redis', 'rediss'], postgres: ['postgres', 'postgresql'] };
const LOCK_METHODS = ['time', 'anchor', 'acquire', 'extend', 'release', 'close'];
/** A table name, optionally schema-qualified; quoted when used, so only plain identifiers are allowed. */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

export interface ClusterCheck {
  /** Backends allowed here (YAML cannot pass a client or a lock object). */
  backends: readonly string[];
  /** Whether a bare number is milliseconds (code) or an error (YAML, where durations are text). */
  numbersAreMs: boolean;
  /** The field's name as the user wrote it (snake_case in YAML). */
  label: (field: string) => string;
}

/** Every problem of camelCase cluster options; `label` names the fields in the messages. */
export function checkClusterOptions(options: Record<string, unknown>, check: ClusterCheck): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const bad = (field: string, expected: string): void => void issues.push({ field: check.label(field), value: options[field], expected });
  const { backend } = options;
  if (typeof backend !== 'string' || !check.backends.includes(backend)) {
    bad('backend', check.backends.map((b) => `'${b}'`).join(' or '));
  }
  if (check.backends.includes(backend as string)) {
    for (const field of CLUSTER_FIELDS.filter((f) => !COMMON_FIELDS.includes(f))) {
      if (options[field] === undefined || BACKEND_FIELDS[backend as string].includes(field)) continue;
      const owners = Object.keys(BACKEND_FIELDS).filter((b) => BACKEND_FIELDS[b].includes(field));
      bad(field, `no '${check.label(field)}' here: it is for backend ${owners.map((b) => `'${b}'`).join(' or ')}`);
    }
  }
  const { url, client, pool, lock, table, keyPrefix, lease, replicaId } = options;
  if (url !== undefined && typeof backend === 'string' && URL_SCHEMES[backend] && !isUrl(url, URL_SCHEMES[backend])) {
    bad('url', `a ${URL_SCHEMES[backend].map((s) => `${s}://`).join(' or ')} URL`);
  }
  if (url !== undefined && (client !== undefined || pool !== undefined)) bad('url', `either 'url' or '${client !== undefined ? 'client' : 'pool'}', not both`);
  if (client !== undefined && !hasMethods(client, ['defineCommand', 'time'])) bad('client', 'an ioredis client (new Redis(...))');
  if (pool !== undefined && !hasMethods(pool, ['query', 'connect'])) bad('pool', "a pg Pool (new Pool(...) from 'pg')");
  if (backend === 'custom' && !hasMethods(lock, LOCK_METHODS)) bad('lock', `a JobLock (an object with ${LOCK_METHODS.join(', ')})`);
  if (table !== undefined && (typeof table !== 'string' || !TABLE_NAME.test(table))) {
    bad('table', "a table name such as 'core_lib_job_locks' or 'jobs.locks' (letters, digits, '_')");
  }
  if (keyPrefix !== undefined && (typeof keyPrefix !== 'string' || !keyPrefix.trim())) bad('keyPrefix', 'a non-empty string');
  if (replicaId !== undefined && (typeof replicaId !== 'string' || !replicaId.trim())) bad('replicaId', 'a non-empty string');
  if (lease !== undefined && typeof leaseMsOf(lease, check.numbersAreMs) === 'string') bad('lease', leaseMsOf(lease, check.numbersAreMs) as string);
  return issues;
}

/** Problems of `forRoot({ cluster })` options, one line each, or []. */
export function clusterOptionProblems(options: unknown, where: string): string[] {
  if (typeof options !== 'object' || options === null) return [`${where}: ${BAD_OPTION('cluster', options, "{ backend: 'redis' | 'postgres' | 'custom', ... }")}`];
  const raw = options as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((key) => !CLUSTER_FIELDS.includes(key));
  const issues = [
    ...unknown.map((key) => ({ field: key, value: raw[key], expected: unknownField(key) })),
    ...checkClusterOptions(raw, { backends: ['redis', 'postgres', 'custom'], numbersAreMs: true, label: (f) => f }),
  ];
  return issues.map((i) => `${where}: ${BAD_OPTION(`cluster.${i.field}`, i.value, i.expected)}`);
}

/** The lease in ms, or what was expected instead (a string). */
export function leaseMsOf(lease: unknown, numbersAreMs: boolean): number | string {
  const expected = `a duration of at least 1s, such as '30s'${numbersAreMs ? ' or 30000 (ms)' : ''}`;
  let ms: number;
  if (typeof lease === 'number' && numbersAreMs) ms = lease;
  else if (typeof lease === 'string') {
    try {
      ms = parseDuration(lease);
    } catch {
      return expected;
    }
  } else return expected;
  return Number.isFinite(ms) && ms >= MIN_LEASE_MS ? ms : expected;
}

function unknownField(key: string): string {
  const suggestion = closestMatch(key, CLUSTER_FIELDS);
  return suggestion ? `a known option; did you mean '${suggestion}'?` : `one of ${CLUSTER_FIELDS.join(', ')}`;
}

function isUrl(value: unknown, schemes: readonly string[]): boolean {
  if (typeof value !== 'string') return false;
  try {
    return schemes.includes(new URL(value).protocol.slice(0, -1));
  } catch {
    return false;
  }
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

/** Checks of cluster options, shared by `forRoot({ cluster })` (camelCase) and YAML `core_lib.jobs_cluster` (snake_case). */
import { MAX_TIMER_DELAY_MS } from '../core-lib-jobs.constants.js';
import type { FieldIssue } from '../engine/job-spec.js';
import { toMs } from '../engine/job-spec.fields.js';
import { atMost, TIMER_CEILING } from '../engine/job-spec.messages.js';
import { BAD_OPTION } from '../errors/job-scheduler.messages.js';
import { closestMatch } from '../utils/closest-match.js';
import { MIN_LEASE_MS } from './cluster.constants.js';
import { EXPECTED } from './cluster.messages.js';

const COMMON_FIELDS = ['backend', 'keyPrefix', 'lease', 'replicaId'];
/** Fields that only mean something for some backends. */
const BACKEND_FIELDS: Record<string, readonly string[]> = {
  redis: ['url', 'client'],
  postgres: ['url', 'pool', 'table'],
  custom: ['lock'],
};
export const CLUSTER_FIELDS = [
  ...new Set([...COMMON_FIELDS, ...Object.values(BACKEND_FIELDS).flat()]),
];
export const URL_SCHEMES: Record<string, readonly string[]> = {
  redis: ['redis', 'rediss'],
  postgres: ['postgres', 'postgresql'],
};
const LOCK_METHODS = ['time', 'anchor', 'claim', 'extend', 'release', 'close'];
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
export function checkClusterOptions(
  options: Record<string, unknown>,
  check: ClusterCheck,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const bad = (field: string, expected: string): void =>
    void issues.push({ field: check.label(field), value: options[field], expected });
  const { backend, url, client, pool, lock, table, keyPrefix, lease, replicaId } = options;
  const known =
    typeof backend === 'string' && check.backends.includes(backend) ? backend : undefined;
  if (!known) bad('backend', EXPECTED.backends(check.backends));
  for (const field of CLUSTER_FIELDS.filter(
    (f) => known && options[f] !== undefined && !COMMON_FIELDS.includes(f),
  )) {
    if (!BACKEND_FIELDS[known!].includes(field))
      bad(
        field,
        EXPECTED.notHere(
          check.label(field),
          Object.keys(BACKEND_FIELDS).filter((b) => BACKEND_FIELDS[b].includes(field)),
        ),
      );
  }
  const schemes = known ? URL_SCHEMES[known] : undefined;
  if (url !== undefined && schemes && !isUrl(url, schemes)) bad('url', EXPECTED.url(schemes));
  if (url !== undefined && (client !== undefined || pool !== undefined))
    bad('url', EXPECTED.notBoth(client !== undefined ? 'client' : 'pool'));
  if (client !== undefined && !hasMethods(client, ['defineCommand', 'time']))
    bad('client', EXPECTED.client);
  if (pool !== undefined && !hasMethods(pool, ['query', 'connect'])) bad('pool', EXPECTED.pool);
  if (known === 'custom' && !hasMethods(lock, LOCK_METHODS))
    bad('lock', EXPECTED.lock(LOCK_METHODS));
  if (table !== undefined && (typeof table !== 'string' || !TABLE_NAME.test(table)))
    bad('table', EXPECTED.table);
  if (keyPrefix !== undefined && !isText(keyPrefix)) bad('keyPrefix', EXPECTED.text);
  if (replicaId !== undefined && !isText(replicaId)) bad('replicaId', EXPECTED.text);
  if (lease !== undefined && leaseMsOf(lease, check.numbersAreMs) === undefined)
    bad('lease', leaseExpected(lease, check.numbersAreMs));
  return issues;
}

/** Problems of `forRoot({ cluster })` options, one line each (`<where>: cluster.<field>: ...`), or []. */
export function clusterOptionProblems(options: unknown, where: string): string[] {
  if (typeof options !== 'object' || options === null)
    return [`${where}: ${BAD_OPTION('cluster', options, EXPECTED.options)}`];
  const raw = options as Record<string, unknown>;
  const issues = [
    ...Object.keys(raw)
      .filter((key) => !CLUSTER_FIELDS.includes(key))
      .map((key) => ({
        field: key,
        value: raw[key],
        expected: EXPECTED.known(closestMatch(key, CLUSTER_FIELDS), CLUSTER_FIELDS),
      })),
    ...checkClusterOptions(raw, {
      backends: ['redis', 'postgres', 'custom'],
      numbersAreMs: true,
      label: (f) => f,
    }),
  ];
  return issues.map((i) => `${where}: ${BAD_OPTION(`cluster.${i.field}`, i.value, i.expected)}`);
}

/**
 * The lease in whole ms, at least 1s and at most a Node timer's longest delay (it is extended
 * every third of it), or undefined when it is not a usable duration.
 */
export function leaseMsOf(lease: unknown, numbersAreMs: boolean): number | undefined {
  if (typeof lease !== 'string' && typeof lease !== 'number') return undefined;
  const ms = toMs(lease, numbersAreMs);
  return typeof ms === 'number' && ms >= MIN_LEASE_MS && ms <= MAX_TIMER_DELAY_MS ? ms : undefined;
}

/** Why a lease is refused: too long, a number of ms that is not whole, or the usual hint. */
function leaseExpected(lease: unknown, numbersAreMs: boolean): string {
  const ms =
    typeof lease === 'string' || typeof lease === 'number' ? toMs(lease, numbersAreMs) : undefined;
  if (typeof ms === 'number' && ms > MAX_TIMER_DELAY_MS)
    return atMost(MAX_TIMER_DELAY_MS, TIMER_CEILING);
  if (typeof ms === 'string' && typeof lease === 'number' && numbersAreMs) return ms;
  return EXPECTED.lease(numbersAreMs);
}

const isText = (value: unknown): boolean => typeof value === 'string' && value.trim() !== '';

export function isUrl(value: unknown, schemes: readonly string[]): boolean {
  try {
    return typeof value === 'string' && schemes.includes(new URL(value).protocol.slice(0, -1));
  } catch {
    return false;
  }
}

export function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function')
  );
}

/** Checks of job store options, shared by `forRoot({ store })` and YAML `core_lib.jobs_store`. */
import { hasMethods, isUrl, URL_SCHEMES } from '../../cluster/cluster-options.validator.js';
import { EXPECTED } from '../../cluster/cluster.messages.js';
import { BAD_OPTION } from '../../errors/job-scheduler.messages.js';
import { closestMatch } from '../../utils/closest-match.js';
import { MAX_HISTORY } from '../store.constants.js';
import { STORE_EXPECTED } from '../store.messages.js';

/** Fields each backend takes besides `backend`. */
const BACKEND_FIELDS: Record<string, readonly string[]> = {
  memory: ['history'],
  file: ['path', 'history'],
  redis: ['url', 'client', 'keyPrefix', 'history'],
  postgres: ['url', 'pool', 'keyPrefix', 'table', 'history'],
  custom: ['store'],
};
export const STORE_FIELDS = ['backend', ...new Set(Object.values(BACKEND_FIELDS).flat())];
export const STORE_METHODS = [
  'open',
  'runStarted',
  'heartbeat',
  'runEnded',
  'markTick',
  'lastTick',
  'state',
  'states',
  'history',
  'reapAbandoned',
  'close',
];
/** A table name prefix, optionally schema-qualified; room is left for `_history_idx`. */
const TABLE_PREFIX = /^([A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,46}$/;

/** One bad field: its name as the user wrote it, its value, what it should have been. */
export interface StoreIssue {
  field: string;
  value: unknown;
  expected: string;
}

export interface StoreCheck {
  /** Backends allowed here (YAML cannot pass a client, a pool or a store object). */
  backends: readonly string[];
  /** YAML: `history` may be digits in a string (an interpolated env value). */
  historyAsText: boolean;
  /** The field's name as the user wrote it (snake_case in YAML). */
  label: (field: string) => string;
}

/** What a set field should have been, or undefined when its value is fine. */
type FieldRule = (
  value: unknown,
  get: (field: string) => unknown,
  check: StoreCheck,
) => string | undefined;

const RULES: Record<string, FieldRule> = {
  url: (url, get) => {
    const schemes = URL_SCHEMES[get('backend') as string];
    if (schemes && !isUrl(url, schemes)) return EXPECTED.url(schemes);
    const other = ['client', 'pool'].find((field) => get(field) !== undefined);
    return other && EXPECTED.notBoth(other);
  },
  client: (client) =>
    hasMethods(client, ['defineCommand', 'hget']) ? undefined : STORE_EXPECTED.client,
  pool: (pool) => (hasMethods(pool, ['query', 'connect']) ? undefined : STORE_EXPECTED.pool),
  store: (store) =>
    hasMethods(store, STORE_METHODS) ? undefined : STORE_EXPECTED.store(STORE_METHODS),
  path: (path) => (isText(path) && !path.includes('\0') ? undefined : STORE_EXPECTED.path),
  table: (table) =>
    typeof table === 'string' && TABLE_PREFIX.test(table) ? undefined : STORE_EXPECTED.table,
  keyPrefix: (prefix) => (isText(prefix) ? undefined : EXPECTED.text),
  history: (history, _get, check) =>
    historyOf(history, check.historyAsText) === undefined
      ? STORE_EXPECTED.history(MAX_HISTORY)
      : undefined,
};

/** Every problem of camelCase store options (own properties only). */
export function checkStoreOptions(options: object, check: StoreCheck): StoreIssue[] {
  const get = (field: string): unknown =>
    Object.hasOwn(options, field) ? (options as Record<string, unknown>)[field] : undefined;
  const issues: StoreIssue[] = [];
  const bad = (field: string, expected: string): void =>
    void issues.push({ field: check.label(field), value: get(field), expected });
  const known = check.backends.find((b) => b === get('backend'));
  if (!known) bad('backend', STORE_EXPECTED.backends(check.backends));
  if (known === 'custom' && get('store') === undefined)
    bad('store', RULES.store(undefined, get, check)!);
  for (const field of Object.keys(RULES)) {
    if (get(field) === undefined) continue;
    if (known && !BACKEND_FIELDS[known].includes(field)) {
      const owners = Object.keys(BACKEND_FIELDS).filter((b) => BACKEND_FIELDS[b].includes(field));
      bad(field, STORE_EXPECTED.notHere(check.label(field), owners));
      continue;
    }
    const expected = RULES[field](get(field), get, check);
    if (expected) bad(field, expected);
  }
  return issues;
}

/** `history` as a count, or undefined when it is not one (digits in a string: YAML only). */
export function historyOf(value: unknown, allowText: boolean): number | undefined {
  const text = allowText && typeof value === 'string' && /^\s*\d+\s*$/.test(value);
  const count = typeof value === 'number' ? value : text ? Number(value) : NaN;
  return Number.isInteger(count) && count >= 0 && count <= MAX_HISTORY ? count : undefined;
}

/** Problems of `forRoot({ store })`, one line each (`<where>: store.<field>: ...`), or []. */
export function storeOptionProblems(options: unknown, where: string): string[] {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return [`${where}: ${BAD_OPTION('store', options, STORE_EXPECTED.options)}`];
  }
  const unknown = Object.keys(options)
    .filter((key) => !STORE_FIELDS.includes(key))
    .map((key) => ({
      field: key,
      value: (options as Record<string, unknown>)[key],
      expected: EXPECTED.known(closestMatch(key, STORE_FIELDS), STORE_FIELDS),
    }));
  const backends = Object.keys(BACKEND_FIELDS);
  const issues = [
    ...unknown,
    ...checkStoreOptions(options, { backends, historyAsText: false, label: (f) => f }),
  ];
  return issues.map((i) => `${where}: ${BAD_OPTION(`store.${i.field}`, i.value, i.expected)}`);
}

const isText = (value: unknown): value is string =>
  typeof value === 'string' && value.trim() !== '';

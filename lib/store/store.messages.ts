/** Message text of the job stores: state file problems, lock file, setup. */

/** Who holds a state file, as its lock file says. */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export const STATE_FILE_LOCKED = (file: string, lockFile: string, owner: LockOwner): string =>
  `Job state file ${file} is in use by process ${owner.pid} on ${owner.host} (since ` +
  `${owner.since}; lock file ${lockFile}). The file store is for one instance: stop that ` +
  `process, give this one another 'path', or use the redis or postgres store for several ` +
  `instances. If process ${owner.pid} is not this app, delete ${lockFile}.`;

export const STATE_FILE_LOCKED_HERE = (file: string): string =>
  `Job state file ${file} is already open in this process (by another FileJobStore); ` +
  'open one store per file';

export const LOCK_BUSY = (file: string, lockFile: string): string =>
  `Job state file ${file}: could not take over its stale lock file ${lockFile} (another ` +
  'process kept taking it over); try again, or delete the lock file if no app uses the file';

export const LOCK_TAKEN_OVER = (file: string, owner: LockOwner | null): string =>
  owner
    ? `Job state file ${file}: took over the lock of process ${owner.pid}, which is not ` +
      'running any more'
    : `Job state file ${file}: took over its lock file, whose content could not be read`;

export const STATE_FILE_INVALID = (file: string, problems: readonly string[]): string =>
  `Job state file ${file} cannot be loaded (${problems.length} problem(s)); the app does not ` +
  `start on top of it. Fix it, or delete it to start afresh (history is lost and missed ticks ` +
  `are not caught up once):\n${problems.map((p) => `  - ${p}`).join('\n')}`;

export const STATE_FILE_UNREADABLE = (file: string, reason: string): string =>
  `Job state file ${file} cannot be read: ${reason}`;

export const NOT_JSON = (reason: string, line?: number, column?: number): string =>
  `not valid JSON${line === undefined ? '' : ` at line ${line}, column ${column}`}: ${reason}`;

export const EMPTY_FILE = 'the file is empty (expected the JSON object this store writes)';

export const MORE_PROBLEMS = (count: number): string => `... and ${count} more problem(s)`;

export const NOT_OPEN = (store: string): string =>
  `${store} is not open: call open() (the module does, at startup) before using it`;

export const ABANDONED = (replica: string, leaseUntil: number): string =>
  `abandoned: its replica ${replica} stopped renewing its lease, which ran out at ` +
  when(leaseUntil);

/** An epoch-ms time as ISO text (as a number when no Date can hold it). */
const when = (ms: number): string => {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? `${ms} (epoch ms)` : date.toISOString();
};

export const LOST_UNDER_LOCK = (name: string): string =>
  `Job store: the save of job ${name} failed although its row was locked (was the table ` +
  'changed by hand?)';

export const STORE_PEER_MISSING = (backend: string, pkg: string): string =>
  `Job store backend '${backend}' needs the optional package '${pkg}', which is not ` +
  `installed: run npm install ${pkg}`;

/** What a field of the state file should have been. */
export const FILE_EXPECTED = {
  object: 'an object',
  version: (version: number): string => `${version} (the layout this version of the store writes)`,
  time: 'a time in epoch milliseconds (a number)',
  timeOrNull: 'a time in epoch milliseconds, or null',
  count: 'a non-negative integer',
  text: 'a non-empty string',
  oneOf: (values: readonly string[]): string => `one of ${values.join(', ')}`,
  error: 'null or { message, stack }',
  list: 'a list',
  recordOrNull: 'null or a run record',
  unknownField: (known: readonly string[]): string => `no such field (known: ${known.join(', ')})`,
};

/** What a store option should have been ("got X, expected <this>"). */
export const STORE_EXPECTED = {
  section: 'a mapping such as { backend: file, path: .core-lib-jobs/state.json }',
  options: "{ backend: 'memory' | 'file' | 'redis' | 'postgres' | 'custom', ... }",
  backends: (backends: readonly string[]): string => backends.map((b) => `'${b}'`).join(' or '),
  notHere: (field: string, owners: readonly string[]): string =>
    `no '${field}' here: it is for backend ${owners.map((b) => `'${b}'`).join(' or ')}`,
  path: 'a file path such as .core-lib-jobs/state.json',
  history: (max: number): string => `a whole number of runs from 0 (none kept) to ${max}`,
  table:
    "a table name prefix such as 'core_lib_jobs' or 'jobs.core_lib' (letters, digits, '_'; " +
    'at most 47 characters after the schema)',
  store: (methods: readonly string[]): string =>
    `a JobStore (an object with ${methods.join(', ')})`,
  client: 'an ioredis client (new Redis(...))',
  pool: "a pg Pool (new Pool(...) from 'pg')",
};

/** Message text of the control plane (runtime schedules, pauses, the audit). */
export const NAME_MISMATCH = (name: string): string =>
  `'${name}' (the name given to upsert()), or no name key at all`;
export const NOT_PLAIN_DATA =
  'plain JSON data (strings, finite numbers, booleans, null, arrays and plain objects): ' +
  'a definition is stored and read back by every replica';
export const WHERE_UPSERT = (name: string): string => `JobScheduler.upsert('${name}')`;
export const WHERE_STORED = (name: string): string => `stored definition '${name}'`;
export const BAD_DEFINITION_NAME = (name: unknown): string =>
  `JobScheduler.upsert(): name: got ${JSON.stringify(name)}, expected a non-empty string`;
export const NAME_OWNED = (name: string): string =>
  `JobScheduler.upsert('${name}'): name '${name}' is a schedule of this app's YAML, @Job() or ` +
  'code, which wins over a stored definition; choose another name';
export const NAME_TAKEN_HERE = (name: string): string =>
  `name '${name}' is used on this replica by a schedule made in code (JobScheduler.schedule())`;
export const SHADOWED = (name: string): string =>
  `a YAML entry or @Job() schedule named '${name}' wins over the stored definition on this replica`;
export const SKIPPED = (name: string, problem: string): string =>
  `Stored definition '${name}' is not scheduled on this replica: ${problem}`;
export const SHADOWED_WARNING = (name: string): string =>
  `Stored definition '${name}' is ignored on this replica: ${SHADOWED(name)}`;
export const NO_DEFINITION = (name: string, known: string[]): string =>
  `No stored definition named '${name}' (stored: ${known.length ? known.join(', ') : 'none'})`;
export const STORE_UNREACHABLE = (label: string, what: string, reason: string): string =>
  `The control store ${label} could not be reached; ${what} was not made: ${reason}`;
export const RECONCILE_FAILED = (label: string, reason: string): string =>
  `The control store ${label} cannot be read: changes made on other replicas are applied here ` +
  `once it is back (${reason})`;
export const RECONCILE_RECOVERED = (label: string): string =>
  `The control store ${label} is back; its changes are applied`;
export const TRIGGER_AUDIT_FAILED = (name: string, label: string, reason: string): string =>
  `The trigger of '${name}' ran but could not be recorded in the audit of ${label}: ${reason}`;
export const WATCH_FAILED = (label: string, reason: string): string =>
  `Cannot listen for control changes on ${label} (${reason}); changes are read every reconcile`;
export const NOT_SCHEDULED_TEXT = 'stored definition, not scheduled on this replica';
export const CONTROL_PEER_MISSING = (backend: string, pkg: string): string =>
  `The control plane on ${backend} needs the optional peer dependency '${pkg}': npm install ${pkg}`;

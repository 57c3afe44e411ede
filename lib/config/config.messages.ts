/**
 * Message text of the config loader and the jobs config validator, one small function per problem.
 */

/** How a bad value is shown: JSON, or "missing" when the key is absent. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  // JSON would print NaN and Infinity as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value); // a BigInt, a cycle in code-given options
  }
}

/** "core_lib.yaml:14" or "<inline config>". */
export const LOCATION = (source: string, line: number | undefined): string =>
  line === undefined ? source : `${source}:${line}`;

export const INLINE_SOURCE = '<inline config>';

export const FILE_NOT_FOUND = (absolutePath: string): string =>
  `config file not found: ${absolutePath} (pass an existing path, or omit 'config' to use ` +
  'core_lib.yaml in the working directory)';

export const FILE_UNREADABLE = (absolutePath: string, reason: string): string =>
  `cannot read config file ${absolutePath}: ${reason}`;

export const YAML_SYNTAX = (source: string, line: number, column: number, reason: string): string =>
  `${source}:${line}:${column} YAML syntax error: ${reason}`;

export const ONE_DOCUMENT = 'expected one YAML document, found several (separated by ---)';

export const YAML_UNUSABLE = (source: string, reason: string): string =>
  `${source}: cannot read the YAML document: ${reason}`;

export const INTERPOLATION_FAILED = (
  where: string,
  path: string,
  text: string,
  expected: string,
): string => `${where} ${path || '<root>'}: cannot resolve ${text}: ${expected}`;

export const UNRESOLVED_FIELD = (
  where: string,
  field: string,
  text: string,
  expected: string,
): string =>
  `${where}: ${field}: got ${JSON.stringify(text)}, expected a resolvable value (${expected})`;

export const ENV_NOT_SET = (name: string): string =>
  `environment variable ${name} is not set and has no default ` +
  `(set it, or write \${oc.env:${name},default})`;

export const BAD_ENV_NAME = (name: string): string =>
  "an environment variable name (letters, digits and '_', not starting with a digit), " +
  `got ${JSON.stringify(name)}`;

export const UNSUPPORTED_RESOLVER = (resolver: string): string =>
  `unsupported resolver '${resolver}' ` +
  '(only ${oc.env:VAR}, ${oc.env:VAR,default} and ${VAR} are supported)';

export const BAD_INTERPOLATION =
  '${oc.env:VAR}, ${oc.env:VAR,default} or ${VAR} ' +
  '(config node references are not supported; write \\${ for a literal ${)';

export const UNTERMINATED = `a closing '}' (write \\\${ for a literal \${)`;

export const SELF_REFERENCE =
  'contains itself (an alias inside its own anchor, such as *x within &x, or a cyclic object); ' +
  'expected plain data without cycles';

export const TOO_DEEP = (max: number): string =>
  `nests more than ${max} levels deep; expected plain, shallower data`;

/** "core_lib.yaml:6 core_lib.jobs.0.handler.params: contains itself ...". */
export const SHAPE_PROBLEM = (where: string, path: string, problem: string): string =>
  `${where} ${path || '<root>'}: ${problem}`;

export const NOT_A_LIST = (where: string, path: string, found: string): string =>
  `${where} ${path}: expected a list of jobs, found ${found}`;

/**
 * "core_lib.yaml:14 core_lib.jobs[2] (name 'nightly', class 'UpdateCache')": location, entry, and
 * what names it.
 */
export const ENTRY_WHERE = (
  location: string,
  jobsPath: string,
  index: number,
  name?: string,
  className?: string,
): string => {
  const parts = [name && `name '${name}'`, className && `class '${className}'`].filter(Boolean);
  return `${location} ${jobsPath}[${index}]${parts.length ? ` (${parts.join(', ')})` : ''}`;
};

/** One problem of one entry: "<where>: <field>: got <value>, expected <what>". */
export const FIELD_PROBLEM = (
  where: string,
  field: string,
  value: unknown,
  expected: string,
): string =>
  `${where}: ${field}: ${value === undefined ? 'missing' : `got ${shown(value)}`}, ` +
  `expected ${expected}`;

export const EXPECTED_ENTRY = "a mapping with 'initial_delay', 'frequency' and 'handler'";
export const EXPECTED_HANDLER = "a mapping with 'class' (and optional 'params')";
export const EXPECTED_CLASS = 'the non-empty name of a job class';
export const EXPECTED_NAME = 'a non-empty string';
export const EXPECTED_DURATION_TYPE = "a duration string such as '30s' or '2h32m'";

export const UNKNOWN_KEY = (suggestion: string | undefined, allowed: readonly string[]): string =>
  suggestion
    ? `a known key; did you mean '${suggestion}'?`
    : `one of the known keys: ${allowed.join(', ')}`;

export const UNKNOWN_CLASS = (known: readonly string[], suggestion: string | undefined): string =>
  known.length === 0
    ? 'the name of a job declared with @Job() (the app declares none)'
    : `one of the app's jobs: ${known.join(', ')}` +
      (suggestion ? `; did you mean '${suggestion}'?` : '');

export const DUPLICATE_NAME = (firstIndex: number, index: number): string =>
  `a unique name, but entries ${firstIndex} and ${index} both use it`;

export const DERIVED_NAME_COLLIDES = (explicitIndex: number): string =>
  'a unique name, but the name derived from the class collides with the explicit ' +
  `'name' of entry ${explicitIndex}; give this entry a 'name'`;

/** @deprecated The old name, for importers outside config/ until they move: use FIELD_PROBLEM. */
export const fieldProblem = FIELD_PROBLEM;
/** @deprecated The old name, for importers outside config/ until they move: use UNKNOWN_KEY. */
export const unknownKey = UNKNOWN_KEY;

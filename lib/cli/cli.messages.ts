/** Text of the command-line tool: help, argument errors, summaries. */

const COMMON_OPTIONS = `  --jobs-path <path>   dotted path of the job list (default: core_lib.jobs)
  --jobs <A,B,C>       the job names the app registers (@Job({ name }) or class names), to
                       check handler.class; without it, class names are not checked
  --env-file <file>    read environment variables from a file (Node's .env format); the
                       process environment wins over it, as with node --env-file (Node
                       itself stops with exit code 9 when the file is missing)
  -h, --help           show this help`;

export const MAIN_HELP = `Usage: core-lib-jobs <command> [options]

Checks a core_lib.yaml jobs file with the module's own rules, before it is deployed.

Commands:
  validate [file]   every problem the app would report at startup (exit 1 if any)
  preview [file]    each job's next fire times

Run core-lib-jobs <command> --help for its options.
Example: npx core-lib-jobs validate config/core_lib.yaml --jobs UpdateCache,SendReport`;

export const VALIDATE_HELP = `Usage: core-lib-jobs validate [file] [options]

Reports every problem the app would report at startup, in the same words, and exits with 1;
prints a one-line summary and exits with 0 when there is none. [file] defaults to
core_lib.yaml in the working directory. \`@Job()\` schedules in code are not seen.

Options:
${COMMON_OPTIONS}

Example: core-lib-jobs validate core_lib.yaml --jobs UpdateCache,SendReport --env-file .env`;

export const PREVIEW_HELP = `Usage: core-lib-jobs preview [file] [options]

Shows each job's next fire times as the module would schedule them from a start time:
initial delay, fixed rate, fixed delay (assuming each run takes no time), cron in its time
zone (across DST changes), once. The file is checked first, as validate does.

Options:
  --count <n>          fire times per job (default: 5)
  --from <ISO time>    when the app starts (default: now); without an offset, a time of --tz
  --tz <zone>          the server's IANA time zone: cron jobs without time_zone run in it,
                       and times are shown in it (default: this machine's)
  --json               JSON instead of a table
${COMMON_OPTIONS}

Example: core-lib-jobs preview core_lib.yaml --from 2026-03-28T12:00 --tz Europe/Paris`;

export const BAD_ARGS = (message: string, command: string): string =>
  `core-lib-jobs${command ? ` ${command}` : ''}: ${message}\n` +
  `Run core-lib-jobs${command ? ` ${command}` : ''} --help for usage.`;
export const UNKNOWN_COMMAND = (name: string): string =>
  `unknown command '${name}' (expected validate or preview)`;
export const NO_COMMAND = 'a command is required (validate or preview)';
export const TOO_MANY_FILES = (files: string[]): string =>
  `one file at most, got ${files.length}: ${files.join(' ')}`;
export const BAD_COUNT = (value: string): string =>
  `--count: expected a whole number from 1 to 1000, got '${value}'`;
export const BAD_FROM = (value: string): string =>
  `--from: expected an ISO time such as 2026-03-28T12:00 or 2026-03-28T12:00:00Z, got '${value}'`;
export const BAD_ZONE = (value: string): string =>
  `--tz: expected an IANA time zone such as Europe/Paris, got '${value}'`;
export const BAD_JOBS = (value: string): string =>
  `--jobs: expected job names separated by commas, such as UpdateCache,SendReport, got '${value}'`;
export const ENV_FILE_UNREADABLE = (file: string, reason: string): string =>
  `--env-file: cannot read ${file}: ${reason}`;

export const CLASSES_NOT_CHECKED = 'handler.class not checked (pass --jobs A,B,C to check it)';
export const VALID = (source: string, jobs: number, classesChecked: boolean): string =>
  `${source}: ${jobs} job(s), no problems` + (classesChecked ? '' : `; ${CLASSES_NOT_CHECKED}`);

export const FIXED_DELAY_NOTE =
  'fixed-delay: assumes each run takes no time; a run of d pushes every later time by d';
export const JITTER_NOTE = (jitter: string): string =>
  `jitter: each time may come up to ${jitter} later`;
export const DISABLED_NOTE = 'disabled (enabled: false): never runs';
export const PREVIEW_HEADER = (from: string, zone: string, count: number): string =>
  `Fire times from ${from} (${zone}), up to ${count} per job:`;

import { readFileSync } from 'node:fs';
import { parseArgs, parseEnv, type ParseArgsConfig } from 'node:util';
import { DEFAULT_JOBS_PATH } from '../core-lib-jobs.constants.js';
import { resolveModuleOptions } from '../core-lib-jobs.options.js';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import type { CheckInput } from './check-config.js';
import { BAD_JOBS, ENV_FILE_UNREADABLE, TOO_MANY_FILES } from './cli.messages.js';

/** A bad command line: the CLI prints the message and exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options every command takes. */
export const COMMON_OPTIONS: Options = {
  'jobs-path': { type: 'string' },
  jobs: { type: 'string' },
  'env-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export type ParsedValues = Record<string, string | boolean | undefined>;

/** Node's own parser, strict: an unknown option or a missing value is a UsageError. */
export function parseCommandLine(
  argv: string[],
  options: Options,
): { values: ParsedValues; file: string | undefined } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length > 1) throw new UsageError(TOO_MANY_FILES(parsed.positionals));
  return { values: parsed.values as ParsedValues, file: parsed.positionals[0] };
}

/** What to check, from the common options; `--jobs-path` is checked by the module's own rule. */
export function checkInputOf(values: ParsedValues, file: string | undefined): CheckInput {
  const jobsPath = (values['jobs-path'] as string | undefined) ?? DEFAULT_JOBS_PATH;
  try {
    resolveModuleOptions({ jobsPath });
  } catch (error) {
    if (!(error instanceof InvalidJobsConfigError)) throw error;
    throw new UsageError(`--jobs-path: ${error.problems.join('; ')}`);
  }
  return { file, jobsPath, jobs: jobsOf(values.jobs as string | undefined), env: envOf(values) };
}

function jobsOf(list: string | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const names = list.split(',').map((name) => name.trim());
  if (names.some((name) => !name)) throw new UsageError(BAD_JOBS(list));
  return names;
}

/** The process environment, over the `--env-file` (as `node --env-file` does). */
function envOf(values: ParsedValues): NodeJS.ProcessEnv {
  const file = values['env-file'] as string | undefined;
  if (file === undefined) return process.env;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(ENV_FILE_UNREADABLE(file, (error as Error).message));
  }
  return { ...parseEnv(text), ...process.env };
}

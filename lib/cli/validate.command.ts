import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import { checkConfig } from './check-config.js';
import { checkInputOf, COMMON_OPTIONS, parseCommandLine } from './cli.args.js';
import { CLASSES_NOT_CHECKED, VALID, VALIDATE_HELP } from './cli.messages.js';
import type { CliOutput } from './cli-output.js';

/**
 * `core-lib-jobs validate [file]`: every problem the app would report at startup, in the same
 * words (the text of its InvalidJobsConfigError), exit code 1; else a one-line summary, 0.
 */
export function validateCommand(argv: string[], io: CliOutput): number {
  const { values, file } = parseCommandLine(argv, COMMON_OPTIONS);
  if (values.help) {
    io.out(VALIDATE_HELP);
    return 0;
  }
  const input = checkInputOf(values, file);
  const { source, entries, problems } = checkConfig(input);
  if (problems.length) {
    io.out(new InvalidJobsConfigError(problems).message);
    if (!input.jobs) io.out(CLASSES_NOT_CHECKED);
    return 1;
  }
  io.out(VALID(source, entries.length, input.jobs !== undefined));
  return 0;
}

import { UsageError } from './cli.args.js';
import type { CliOutput } from './cli-output.js';
import { BAD_ARGS, MAIN_HELP, NO_COMMAND, UNKNOWN_COMMAND } from './cli.messages.js';
import { previewCommand } from './preview.command.js';
import { validateCommand } from './validate.command.js';

const COMMANDS: Record<string, (argv: string[], io: CliOutput) => number> = {
  validate: validateCommand,
  preview: previewCommand,
};

/**
 * Runs the command line `argv` (without `node` and the script); returns the exit code:
 * 0 done, 1 the config has problems, 2 bad arguments.
 */
export function runCli(argv: string[], io: CliOutput): number {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    const command = rest[0] && COMMANDS[rest[0]] ? rest[0] : undefined;
    return command ? COMMANDS[command](['--help'], io) : (io.out(MAIN_HELP), 0);
  }
  const command = name === undefined ? undefined : Object.hasOwn(COMMANDS, name) ? name : undefined;
  try {
    if (!command) throw new UsageError(name === undefined ? NO_COMMAND : UNKNOWN_COMMAND(name));
    return COMMANDS[command](rest, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(BAD_ARGS(error.message, command ?? ''));
    return 2;
  }
}

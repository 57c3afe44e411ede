/** Where a command writes: one call per block of text, a newline is added. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

/** The process's stdout and stderr. */
export const PROCESS_OUTPUT: CliOutput = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

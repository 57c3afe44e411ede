/**
 * Thrown at startup when the jobs config cannot be used; `problems` holds every problem found, one
 * line each.
 */
export class InvalidJobsConfigError extends Error {
  override readonly name = 'InvalidJobsConfigError';

  constructor(readonly problems: string[]) {
    super(
      `Invalid jobs config: ${problems.length} problem(s)\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
}

import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';

/** Runs `step`; its InvalidJobsConfigError's problems join `problems` (any other error goes on). */
export function collectProblems(problems: string[], step: () => void): void {
  try {
    step();
  } catch (error) {
    if (!(error instanceof InvalidJobsConfigError)) throw error;
    problems.push(...error.problems);
  }
}

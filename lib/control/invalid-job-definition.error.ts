import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';

/**
 * `JobScheduler.upsert()` got a definition the YAML rules refuse; `problems` has one line per
 * problem, in YAML's words. An `InvalidJobsConfigError`, so code that catches that catches this.
 */
export class InvalidJobDefinitionError extends InvalidJobsConfigError {}

/** Message text of the startup plan's problems. */
export const NAME_TAKEN = (where: string, name: string, first: string): string =>
  `${where}: name '${name}' is already used by ${first}; give one of them another name`;
export const NOT_SHARED = (name: string): string =>
  `job '${name}': mode: 'fixed-delay' cannot be shared by replicas (its ticks depend on when ` +
  "the local run ended); use 'fixed-rate', or cluster: false to run it on every replica";
export const RUN_OPTIONS_WITHOUT_SCHEDULE = (fields: string[]): string =>
  `${fields.join(', ')}: set without a schedule, so never used; give initialDelay (with ` +
  'frequency) or cron here, or set them on the YAML entry that names this job';

/** Log lines of the module (discovery, startup). */
export const SCHEDULED = (names: string[]): string => {
  const more = names.length > 20 ? `, and ${names.length - 20} more` : '';
  return `Scheduled ${names.length} job(s): ${names.slice(0, 20).join(', ')}${more}`;
};
export const REQUEST_SCOPED = (cls: string): string =>
  `Job ${cls} is request-scoped or depends on a request-scoped provider; ` +
  'jobs must be singletons, so it is not scheduled';
export const NO_CONFIG_FILE = (file: string, cwd: string): string =>
  `No ${file} in ${cwd}; only jobs scheduled from code will run`;

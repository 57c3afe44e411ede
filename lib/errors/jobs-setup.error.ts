/**
 * The module cannot start: imported twice, a job class without run(), an unknown coreLib token...
 */
export class JobsSetupError extends Error {
  override readonly name = 'JobsSetupError';
}

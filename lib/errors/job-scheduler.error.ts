/** A `JobScheduler` call was given bad arguments (bad duration, missing job, duplicate name...). */
export class JobSchedulerError extends Error {
  override readonly name = 'JobSchedulerError';
}

export { BaseJob, type JobLike } from './base-job.js';
export { CoreLibJobsModule } from './core-lib-jobs.module.js';
export { JOB_METADATA } from './core-lib-jobs.constants.js';
export { Job } from './decorators/job.decorator.js';
export { JobScheduler, type JobRef } from './job.scheduler.js';
export { parseDuration, formatDuration } from './utils/duration.parser.js';
export { InvalidDurationError } from './errors/invalid-duration.error.js';
export { InvalidJobsConfigError } from './errors/invalid-jobs-config.error.js';
export { JobSchedulerError } from './errors/job-scheduler.error.js';
export { JobsSetupError } from './errors/jobs-setup.error.js';
export { ClusterConfigError } from './errors/cluster-config.error.js';
export { JobTimeoutError } from './errors/job-timeout.error.js';
export { MissingScheduleModuleError } from './errors/missing-schedule-module.error.js';
export type {
  CoreLibJobsModuleAsyncOptions,
  CoreLibJobsModuleExtras,
  CoreLibJobsModuleOptions,
  CoreLibJobsOptionsFactory,
} from './interfaces/core-lib-jobs-options.interface.js';
export type {
  CatchUpPolicy,
  Duration,
  JobMode,
  JobOnCron,
  JobOnInterval,
  JobOptions,
  JobPolicyOptions,
  JobWithoutSchedule,
  OverlapPolicy,
  ScheduleOptions,
} from './interfaces/job-options.interface.js';
export type { JobRunContext } from './interfaces/job-run-context.interface.js';
export type { JobInfo } from './interfaces/job-info.interface.js';
export type {
  JobEvent,
  JobListener,
  RunOutcome,
  SkipReason,
} from './interfaces/job-event.interface.js';
export type { RunInfo, RunWrapper } from './interfaces/run-wrapper.interface.js';
export type { JobLock, LockResult } from './interfaces/job-lock.interface.js';
export type {
  ClusterOptions,
  ClusterCommonOptions,
} from './interfaces/cluster-options.interface.js';
export type { ClusterStatus } from './interfaces/cluster-status.interface.js';
export { JOB_STORE } from './store/store.constants.js';
export { InjectJobStore } from './store/store.decorator.js';
export { MemoryJobStore } from './store/memory-job-store.js';
export { FileJobStore } from './store/file/file-job-store.js';
export {
  JobStoreError,
  StateFileInvalidError,
  StateFileLockedError,
} from './store/job-store.error.js';
export type {
  JobState,
  JobStore,
  RunError,
  RunReason,
  RunRecord,
  RunStart,
  RunStatus,
} from './interfaces/job-store.interface.js';
export type {
  JobStoreHistoryOptions,
  JobStoreOptions,
} from './interfaces/job-store-options.interface.js';
export { LeaseLostError } from './errors/lease-lost.error.js';
export { ControlStoreError } from './control/control-store.error.js';
export { InvalidJobDefinitionError } from './control/invalid-job-definition.error.js';
export type {
  AuditEntry,
  AuditQuery,
  ControlAction,
  ControlActor,
  DefinitionState,
  JobDefinition,
  PauseInfo,
  StoredDefinitionInfo,
} from './interfaces/job-control.interface.js';

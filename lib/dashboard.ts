/**
 * `nestjs-core-lib-jobs/dashboard`: a jobs dashboard page, opt-in. Import
 * `CoreLibJobsDashboardModule.forRoot()` next to `CoreLibJobsModule.forRoot()`.
 */
export { CoreLibJobsDashboardModule } from './dashboard/dashboard.module.js';
export type {
  DashboardExtras,
  DashboardModuleAsyncOptions,
  DashboardModuleOptions,
  DashboardOptions,
} from './dashboard/interfaces/dashboard-options.interface.js';
export type {
  AuditView,
  ClusterView,
  DashboardState,
  JobDetail,
  JobView,
  ListQuery,
  RateMinute,
  ReplicaView,
  RunView,
} from './dashboard/interfaces/dashboard-api.interface.js';
export type { ActionResult } from './dashboard/dashboard.actions.js';

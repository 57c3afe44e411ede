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
export type { ClusterView, DashboardState, JobView } from './dashboard/dashboard.view.js';
export type { ActionResult } from './dashboard/dashboard.service.js';

import { ConfigurableModuleBuilder, Module, type DynamicModule } from '@nestjs/common';
import { DashboardAccessGuard } from './dashboard-access.guard.js';
import { DashboardActionGuard } from './dashboard-action.guard.js';
import { DASHBOARD_OPTIONS, DEFAULT_DASHBOARD_PATH } from './dashboard.constants.js';
import { DashboardActions } from './dashboard.actions.js';
import { DashboardController } from './dashboard.controller.js';
import { mountDashboard, resolveDashboardOptions } from './dashboard.options.js';
import { DashboardService } from './dashboard.service.js';
import type {
  DashboardExtras,
  DashboardModuleOptions,
  DashboardOptions,
} from './interfaces/dashboard-options.interface.js';

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN } =
  new ConfigurableModuleBuilder<DashboardOptions>({ moduleName: 'CoreLibJobsDashboard' })
    .setClassMethodName('forRoot')
    .setExtras<DashboardExtras>(
      { path: DEFAULT_DASHBOARD_PATH, guards: [], imports: [] },
      mountDashboard,
    )
    .build();

/**
 * A jobs dashboard: an HTML page at `path` (default `/jobs-dashboard`) that lists every job of
 * `JobScheduler` and updates itself, with trigger, pause and resume. Opt-in and separate from
 * `CoreLibJobsModule`, so an app without it registers no route and loads none of this code.
 * Import it once, next to `CoreLibJobsModule.forRoot()`. By default only local requests get in.
 */
@Module({
  controllers: [DashboardController],
  providers: [
    {
      provide: DASHBOARD_OPTIONS,
      useFactory: resolveDashboardOptions,
      inject: [MODULE_OPTIONS_TOKEN],
    },
    DashboardService,
    DashboardActions,
    DashboardAccessGuard,
    DashboardActionGuard,
  ],
})
export class CoreLibJobsDashboardModule extends ConfigurableModuleClass {
  /** Mounts the dashboard at `path` (default `jobs-dashboard`); every option may be left out. */
  static override forRoot(options: DashboardModuleOptions = {}): DynamicModule {
    return super.forRoot(options);
  }
}

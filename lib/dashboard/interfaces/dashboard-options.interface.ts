import type {
  CanActivate,
  ConfigurableModuleAsyncOptions,
  ModuleMetadata,
  Type,
} from '@nestjs/common';

/** Options of `CoreLibJobsDashboardModule.forRoot()` that a `forRootAsync()` factory may return. */
export interface DashboardOptions {
  /** Hides the actions (trigger, pause, resume); the server refuses them (405). Default: false. */
  readOnly?: boolean;
  /**
   * Decides who may use the dashboard, instead of the default "local requests only" rule. Gets the
   * adapter's request (Express: `Request`); returns or resolves to true to let it in.
   */
  authorize?: (request: any) => boolean | Promise<boolean>;
}

/** Options that shape the module itself: given to `forRoot()` / `forRootAsync()` directly. */
export interface DashboardExtras {
  /** URL path of the page, under the app's global prefix. Default: `'jobs-dashboard'`. */
  path?: string;
  /**
   * Nest guards (classes or instances) that decide who may use the dashboard, instead of the
   * default "local requests only" rule. All must pass; with `authorize`, it must pass too.
   */
  guards?: Array<Type<CanActivate> | CanActivate>;
  /** Modules whose exports the guard classes inject (`forRootAsync()` has its own `imports`). */
  imports?: ModuleMetadata['imports'];
}

/** What `forRoot()` takes. */
export type DashboardModuleOptions = DashboardOptions & DashboardExtras;

/** What `forRootAsync()` takes: a factory of `DashboardOptions`, with `path` and `guards`. */
export type DashboardModuleAsyncOptions = ConfigurableModuleAsyncOptions<DashboardOptions> &
  Omit<DashboardExtras, 'imports'>;

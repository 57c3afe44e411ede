import type { CanActivate, DynamicModule } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { InvalidJobsConfigError } from '../errors/invalid-jobs-config.error.js';
import { BAD_OPTION } from '../errors/job-scheduler.messages.js';
import { DASHBOARD_GUARDS, DEFAULT_DASHBOARD_PATH } from './dashboard.constants.js';
import { FROM_FACTORY, OPTIONS_WHERE, UNKNOWN_OPTION } from './dashboard.messages.js';
import type {
  DashboardExtras,
  DashboardOptions,
} from './interfaces/dashboard-options.interface.js';

const KNOWN = new Set(['readOnly', 'authorize']);
const EXTRAS = new Set(['path', 'guards', 'imports']);
/** Path segments of letters, digits and `-._~`: nothing a router or a browser reads specially. */
const PATH = /^[A-Za-z0-9\-._~]+(\/[A-Za-z0-9\-._~]+)*$/;

function throwIfAny(problems: string[]): void {
  if (!problems.length) return;
  throw new InvalidJobsConfigError(problems.map((p) => `${OPTIONS_WHERE}: ${p}`));
}

/** Validates what `forRoot()` or a `forRootAsync()` factory gives; every problem in one error. */
export function resolveDashboardOptions(
  raw: DashboardOptions | undefined | null,
): DashboardOptions {
  const options = raw ?? {};
  if (typeof options !== 'object') throwIfAny([BAD_OPTION('(options)', options, 'an object')]);
  const problems: string[] = [];
  for (const key of Object.keys(options)) {
    if (EXTRAS.has(key)) problems.push(FROM_FACTORY(key));
    else if (!KNOWN.has(key)) problems.push(UNKNOWN_OPTION(key, [...KNOWN, ...EXTRAS]));
  }
  const { readOnly = false, authorize } = options;
  if (typeof readOnly !== 'boolean') {
    problems.push(BAD_OPTION('readOnly', readOnly, 'true or false'));
  }
  if (authorize !== undefined && typeof authorize !== 'function') {
    problems.push(BAD_OPTION('authorize', authorize, 'a function (request) => boolean'));
  }
  throwIfAny(problems);
  return { readOnly, authorize };
}

const isGuard = (g: unknown): g is CanActivate | (new (...args: never[]) => CanActivate) =>
  typeof g === 'function' ||
  (typeof g === 'object' && g !== null && typeof (g as CanActivate).canActivate === 'function');

/**
 * Adds what the extras ask for to the module definition: the route prefix (through Nest's
 * `RouterModule`), the guards, and the modules the guards need. Runs when `forRoot()` is called.
 */
export function mountDashboard(definition: DynamicModule, extras: DashboardExtras): DynamicModule {
  const { path = DEFAULT_DASHBOARD_PATH, guards = [], imports = [] } = extras;
  const problems: string[] = [];
  const trimmed = typeof path === 'string' ? path.replace(/^\/+|\/+$/g, '') : path;
  if (typeof trimmed !== 'string' || !PATH.test(trimmed)) {
    problems.push(BAD_OPTION('path', path, "a URL path such as 'jobs-dashboard' or 'admin/jobs'"));
  }
  if (!Array.isArray(guards) || !guards.every(isGuard)) {
    problems.push(
      BAD_OPTION('guards', guards, 'an array of guard classes or objects with canActivate()'),
    );
  }
  if (!Array.isArray(imports)) problems.push(BAD_OPTION('imports', imports, 'an array of modules'));
  throwIfAny(problems);
  return {
    ...definition,
    imports: [
      ...(definition.imports ?? []),
      ...imports,
      RouterModule.register([{ path: trimmed as string, module: definition.module }]),
    ],
    providers: [
      ...(definition.providers ?? []),
      { provide: DASHBOARD_GUARDS, useValue: guards },
      ...guards.filter((g) => typeof g === 'function'),
    ],
  };
}

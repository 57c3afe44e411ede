import {
  ForbiddenException,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import { DASHBOARD_GUARDS, DASHBOARD_OPTIONS } from './dashboard.constants.js';
import { LOCAL_ONLY, NOT_AUTHORIZED } from './dashboard.messages.js';
import { isLocalRequest, type RequestLike } from './dashboard-request.js';
import type {
  DashboardExtras,
  DashboardOptions,
} from './interfaces/dashboard-options.interface.js';

/**
 * Who may use the dashboard. By default only local requests (see `isLocalRequest`), as
 * Hangfire's dashboard. With `guards` or `authorize`, those decide instead: every guard must
 * pass, then `authorize`.
 */
@Injectable()
export class DashboardAccessGuard implements CanActivate, OnModuleInit {
  private guards: CanActivate[] = [];

  constructor(
    @Inject(DASHBOARD_OPTIONS) private readonly options: DashboardOptions,
    @Inject(DASHBOARD_GUARDS) private readonly given: NonNullable<DashboardExtras['guards']>,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    // forRoot() makes guard classes providers of this module, so their injections resolve.
    this.guards = this.given.map((g) => (typeof g === 'function' ? this.moduleRef.get(g) : g));
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestLike>();
    const { authorize } = this.options;
    if (!this.guards.length && !authorize) {
      if (isLocalRequest(request)) return true;
      throw new ForbiddenException(LOCAL_ONLY());
    }
    for (const guard of this.guards) {
      const result = guard.canActivate(context);
      const allowed = isObservable(result) ? await lastValueFrom(result) : await result;
      if (!allowed) throw new ForbiddenException(NOT_AUTHORIZED());
    }
    if (authorize && (await authorize(request)) !== true) {
      throw new ForbiddenException(NOT_AUTHORIZED());
    }
    return true;
  }
}

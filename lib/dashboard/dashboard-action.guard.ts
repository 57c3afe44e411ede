import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DASHBOARD_OPTIONS } from './dashboard.constants.js';
import { READ_ONLY } from './dashboard.messages.js';
import { forgeryProblem, type RequestLike } from './dashboard-request.js';
import { DashboardService } from './dashboard.service.js';
import type { DashboardOptions } from './interfaces/dashboard-options.interface.js';

/**
 * Guards the actions (trigger, pause, resume), after `DashboardAccessGuard`: read-only mode
 * refuses them with 405, and a request that may be forged (CSRF) gets 403.
 */
@Injectable()
export class DashboardActionGuard implements CanActivate {
  constructor(
    @Inject(DASHBOARD_OPTIONS) private readonly options: DashboardOptions,
    private readonly dashboard: DashboardService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    if (this.options.readOnly) {
      // RFC 9110: a 405 lists the methods the resource allows; in read-only mode, none.
      this.adapterHost.httpAdapter?.setHeader(http.getResponse(), 'Allow', '');
      throw new HttpException(READ_ONLY(), HttpStatus.METHOD_NOT_ALLOWED);
    }
    const problem = forgeryProblem(http.getRequest<RequestLike>(), this.dashboard.token);
    if (problem) throw new ForbiddenException(problem);
    return true;
  }
}

import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { DashboardAccessGuard } from './dashboard-access.guard.js';
import { DashboardActionGuard } from './dashboard-action.guard.js';
import { dashboardBase, requestUser, type RequestLike } from './dashboard-request.js';
import { actionBody, DashboardActions, type ActionResult } from './dashboard.actions.js';
import { DASHBOARD_OPTIONS } from './dashboard.constants.js';
import { PAGE_CSP } from './dashboard.layout.js';
import { renderPage } from './dashboard.page.js';
import { DashboardService } from './dashboard.service.js';
import type { DashboardState, JobDetail } from './interfaces/dashboard-api.interface.js';
import type { DashboardOptions } from './interfaces/dashboard-options.interface.js';
import { parseListQuery } from './job-list.query.js';
import { renderJobPage } from './job.page.js';

type Request = RequestLike & { originalUrl?: string; url?: string; user?: unknown };
/** Who the audit trail names when no guard or `authorize` set a user on the request. */
const ANONYMOUS = 'dashboard';

/** The list's query, or 400 naming each bad field. */
function listQuery(raw: Record<string, unknown>) {
  const { query, problems } = parseListQuery(raw);
  if (problems.length) throw new BadRequestException(problems.join('; '));
  return query;
}

/** A history page number, or 400. */
function historyPage(raw: unknown): number {
  const { query, problems } = parseListQuery({ page: raw });
  if (problems.length) throw new BadRequestException(problems.join('; '));
  return query.page;
}

/**
 * The pages (`GET <path>`, `GET <path>/job/<name>`), their state as JSON (`GET <path>/api/jobs`,
 * `GET <path>/api/job/<name>`) and the actions (`POST <path>/api/trigger|pause|resume`).
 * Mounted at `path` by `RouterModule`; every route passes `DashboardAccessGuard`.
 */
@Controller()
@UseGuards(DashboardAccessGuard)
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly actions: DashboardActions,
    @Inject(DASHBOARD_OPTIONS) private readonly options: DashboardOptions,
  ) {}

  private pageOptions(req: Request) {
    const readOnly = this.options.readOnly === true;
    return { readOnly, token: this.dashboard.token, base: dashboardBase(req) };
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  page(@Req() req: Request, @Query() query: Record<string, unknown>): string {
    return renderPage(this.dashboard.state(listQuery(query)), this.pageOptions(req));
  }

  @Get('job/:name')
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  async jobPage(
    @Req() req: Request,
    @Param('name') name: string,
    @Query('page') page: unknown,
  ): Promise<string> {
    const detail = await this.dashboard.detail(name, historyPage(page));
    return renderJobPage(detail, this.pageOptions(req));
  }

  @Get('api/jobs')
  @Header('Cache-Control', 'no-store')
  state(@Query() query: Record<string, unknown>): DashboardState {
    return this.dashboard.state(listQuery(query));
  }

  @Get('api/job/:name')
  @Header('Cache-Control', 'no-store')
  detail(@Param('name') name: string, @Query('page') page: unknown): Promise<JobDetail> {
    return this.dashboard.detail(name, historyPage(page));
  }

  @Post('api/trigger')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  trigger(@Req() req: Request, @Body() body: unknown): Promise<ActionResult> {
    return this.actions.trigger(actionBody(body), requestUser(req) ?? ANONYMOUS);
  }

  @Post('api/pause')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  pause(@Req() req: Request, @Body() body: unknown): Promise<ActionResult> {
    return this.actions.pause(actionBody(body), requestUser(req) ?? ANONYMOUS);
  }

  @Post('api/resume')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  resume(@Req() req: Request, @Body() body: unknown): Promise<ActionResult> {
    return this.actions.resume(actionBody(body), requestUser(req) ?? ANONYMOUS);
  }
}

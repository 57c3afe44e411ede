import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Post,
  UseGuards,
} from '@nestjs/common';
import { DashboardAccessGuard } from './dashboard-access.guard.js';
import { DashboardActionGuard } from './dashboard-action.guard.js';
import { DASHBOARD_OPTIONS } from './dashboard.constants.js';
import { BAD_BODY } from './dashboard.messages.js';
import { PAGE_CSP, renderPage } from './dashboard.page.js';
import { DashboardService, type ActionResult } from './dashboard.service.js';
import type { DashboardState } from './dashboard.view.js';
import type { DashboardOptions } from './interfaces/dashboard-options.interface.js';

/** An action's body: `{ "name": "refresh-users", "params": { ... } }` (params: trigger only). */
interface ActionBody {
  name: string;
  params?: unknown;
}

function actionBody(body: unknown): ActionBody {
  const ok = typeof body === 'object' && body !== null && !Array.isArray(body);
  if (!ok || typeof (body as ActionBody).name !== 'string')
    throw new BadRequestException(BAD_BODY());
  return body as ActionBody;
}

/**
 * The page (`GET <path>`), its state as JSON (`GET <path>/api/jobs`) and the actions
 * (`POST <path>/api/trigger|pause|resume`). Mounted at `path` by `RouterModule`.
 */
@Controller()
@UseGuards(DashboardAccessGuard)
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    @Inject(DASHBOARD_OPTIONS) private readonly options: DashboardOptions,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', PAGE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  page(): string {
    const options = { readOnly: this.options.readOnly === true, token: this.dashboard.token };
    return renderPage(this.dashboard.state(), options);
  }

  @Get('api/jobs')
  @Header('Cache-Control', 'no-store')
  state(): DashboardState {
    return this.dashboard.state();
  }

  @Post('api/trigger')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  trigger(@Body() body: unknown): Promise<ActionResult> {
    const { name, params } = actionBody(body);
    return this.dashboard.trigger(name, params);
  }

  @Post('api/pause')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  pause(@Body() body: unknown): ActionResult {
    return this.dashboard.pause(actionBody(body).name);
  }

  @Post('api/resume')
  @HttpCode(200)
  @UseGuards(DashboardActionGuard)
  resume(@Body() body: unknown): ActionResult {
    return this.dashboard.resume(actionBody(body).name);
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import { register } from 'prom-client';

/** `GET /metrics`: prom-client's registry, where CoreLibJobsMetricsModule puts the job metrics. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}

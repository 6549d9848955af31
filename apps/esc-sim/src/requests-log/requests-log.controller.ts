import { Controller, Delete, Get, HttpCode } from '@nestjs/common';
import { LoggedRequest, RequestLog } from './request-log';

@Controller('_sim/requests')
export class RequestsLogController {
  constructor(private readonly log: RequestLog) {}

  @Get()
  list(): LoggedRequest[] {
    return this.log.list();
  }

  @Delete()
  @HttpCode(204)
  clear(): void {
    this.log.clear();
  }
}

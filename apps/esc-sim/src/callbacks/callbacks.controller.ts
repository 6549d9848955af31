import { Controller, Delete, Get, HttpCode } from '@nestjs/common';
import { CallbackLog, SentCallback } from './callback-log';

@Controller('_sim/callbacks')
export class CallbacksController {
  constructor(private readonly log: CallbackLog) {}

  @Get()
  list(): SentCallback[] {
    return this.log.list();
  }

  @Delete()
  @HttpCode(204)
  clear(): void {
    this.log.clear();
  }
}

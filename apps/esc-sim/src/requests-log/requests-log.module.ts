import { Module } from '@nestjs/common';
import { RequestLog } from './request-log';
import { RequestLogMiddleware } from './request-log.middleware';
import { RequestsLogController } from './requests-log.controller';

@Module({
  controllers: [RequestsLogController],
  providers: [RequestLog, RequestLogMiddleware],
  exports: [RequestLog, RequestLogMiddleware],
})
export class RequestsLogModule {}

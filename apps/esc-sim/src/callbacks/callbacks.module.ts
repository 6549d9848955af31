import { Module } from '@nestjs/common';
import { CallbackLog } from './callback-log';
import { CallbackSender } from './callback-sender';
import { CallbacksController } from './callbacks.controller';

@Module({
  controllers: [CallbacksController],
  providers: [CallbackLog, CallbackSender],
  exports: [CallbackLog, CallbackSender],
})
export class CallbacksModule {}

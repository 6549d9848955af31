import { Module } from '@nestjs/common';
import { DownController } from './down.controller';
import { DownMiddleware } from './down.middleware';
import { FaultsController } from './faults.controller';
import { FaultsService } from './faults.service';
import { HeldAnswers } from './held-answers';

@Module({
  controllers: [FaultsController, DownController],
  providers: [FaultsService, HeldAnswers, DownMiddleware],
  exports: [FaultsService, HeldAnswers, DownMiddleware],
})
export class FaultsModule {}

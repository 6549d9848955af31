import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { DeploymentsModule } from '../deployments/deployments.module';
import { FaultsModule } from '../faults/faults.module';
import { RequestsLogModule } from '../requests-log/requests-log.module';
import { ResourcesModule } from '../resources/resources.module';
import { AdminController } from './admin.controller';
import { DeploymentEventsController } from './deployment-events.controller';

@Module({
  imports: [DeploymentsModule, ResourcesModule, FaultsModule, RequestsLogModule, CallbacksModule],
  controllers: [AdminController, DeploymentEventsController],
})
export class AdminModule {}

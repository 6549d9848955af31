import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { FaultsModule } from '../faults/faults.module';
import { DeploymentLifecycle } from './deployment-lifecycle';
import { DeploymentStore } from './deployment-store';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';
import { OperationRunner } from './operation-runner';
import { ResourceFactory } from './resource-factory';

@Module({
  imports: [CallbacksModule, FaultsModule],
  controllers: [DeploymentsController],
  providers: [DeploymentsService, DeploymentStore, DeploymentLifecycle, OperationRunner, ResourceFactory],
  exports: [DeploymentsService],
})
export class DeploymentsModule {}

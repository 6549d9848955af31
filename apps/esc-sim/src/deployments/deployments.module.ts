import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { FaultsModule } from '../faults/faults.module';
import { ResourceStoreModule } from '../resources/resource-store.module';
import { DeploymentLifecycle } from './deployment-lifecycle';
import { DeploymentStore } from './deployment-store';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';
import { OperationRunner } from '../common/operation-runner';
import { ResourceFactory } from './resource-factory';

@Module({
  imports: [CallbacksModule, FaultsModule, ResourceStoreModule],
  controllers: [DeploymentsController],
  providers: [DeploymentsService, DeploymentStore, DeploymentLifecycle, OperationRunner, ResourceFactory],
  exports: [DeploymentsService],
})
export class DeploymentsModule {}

import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { FaultsModule } from '../faults/faults.module';
import { ResourceStoreModule } from '../resources/resource-store.module';
import { DeploymentLifecycle } from './deployment-lifecycle';
import { DeploymentStore } from './deployment-store';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsService } from './deployments.service';
import { DeploymentEventLifecycle } from './events/deployment-event-lifecycle';
import { DeploymentEventsService } from './events/deployment-events.service';
import { OperationRunner } from '../common/operation-runner';
import { DeploymentOperationsController } from './operations/deployment-operations.controller';
import { DeploymentOperationsService } from './operations/deployment-operations.service';
import { ServiceOperationLifecycle } from './operations/service-operation-lifecycle';
import { VmOperationLifecycle } from './operations/vm-operation-lifecycle';
import { ResourceFactory } from './resource-factory';

@Module({
  imports: [CallbacksModule, FaultsModule, ResourceStoreModule],
  controllers: [DeploymentsController, DeploymentOperationsController],
  providers: [
    DeploymentsService,
    DeploymentStore,
    DeploymentLifecycle,
    OperationRunner,
    ResourceFactory,
    DeploymentOperationsService,
    ServiceOperationLifecycle,
    VmOperationLifecycle,
    DeploymentEventsService,
    DeploymentEventLifecycle,
  ],
  exports: [DeploymentsService, DeploymentEventsService],
})
export class DeploymentsModule {}

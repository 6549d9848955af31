import { Module } from '@nestjs/common';
import { CallbacksModule } from '../callbacks/callbacks.module';
import { OperationRunner } from '../common/operation-runner';
import { DeploymentsModule } from '../deployments/deployments.module';
import { FaultsModule } from '../faults/faults.module';
import { ResourceLifecycle } from './resource-lifecycle';
import { ResourceStoreModule } from './resource-store.module';
import { RESOURCE_CONTROLLERS } from './resources.controller';
import { ResourcesService } from './resources.service';

/** Tenants, networks, subnets, images, flavors and volumes; imported after DeploymentsModule. */
@Module({
  imports: [CallbacksModule, FaultsModule, ResourceStoreModule, DeploymentsModule],
  controllers: RESOURCE_CONTROLLERS,
  providers: [ResourcesService, ResourceLifecycle, OperationRunner],
  exports: [ResourcesService],
})
export class ResourcesModule {}

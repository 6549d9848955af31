import { Module } from '@nestjs/common';
import { ResourceStore } from './resource-store';

/** The resource store on its own, so deployments can share it without a module cycle. */
@Module({
  providers: [ResourceStore],
  exports: [ResourceStore],
})
export class ResourceStoreModule {}

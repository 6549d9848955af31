import { Injectable } from '@nestjs/common';
import { IdRegistry } from '../common/id-registry';
import { SimDeployment } from './deployment.model';

/** Live deployments and every deployment id ever accepted (ids are never reused). */
@Injectable()
export class DeploymentStore extends IdRegistry<SimDeployment> {
  findByName(tenantInternalId: string, name: string): SimDeployment | undefined {
    return this.list().find((deployment) => deployment.tenant.internalId === tenantInternalId && deployment.name === name);
  }

  inTenant(tenantInternalId: string): SimDeployment[] {
    return this.list().filter((deployment) => deployment.tenant.internalId === tenantInternalId);
  }
}

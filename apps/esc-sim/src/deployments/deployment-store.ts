import { Injectable } from '@nestjs/common';
import { SimDeployment } from './deployment.model';

/**
 * Live deployments, plus every internal id ever accepted: the reference advises against
 * recycling ids, so the simulator refuses a deleted deployment's id too (until reset).
 */
@Injectable()
export class DeploymentStore {
  private readonly live = new Map<string, SimDeployment>();
  private readonly usedIds = new Set<string>();

  add(deployment: SimDeployment): void {
    this.live.set(deployment.internalId, deployment);
    this.usedIds.add(deployment.internalId);
  }

  get(internalId: string): SimDeployment | undefined {
    return this.live.get(internalId);
  }

  list(): SimDeployment[] {
    return [...this.live.values()];
  }

  remove(internalId: string): void {
    this.live.delete(internalId);
  }

  wasEverUsed(internalId: string): boolean {
    return this.usedIds.has(internalId);
  }

  findByName(tenantInternalId: string, name: string): SimDeployment | undefined {
    return this.list().find((deployment) => deployment.tenant.internalId === tenantInternalId && deployment.name === name);
  }

  reset(): void {
    this.live.clear();
    this.usedIds.clear();
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { DriftCheck, DriftRepair } from '@cam-esc/drift';

/** POST /cam/api/v1/drift/repair: the report, and what was fixed (what is safe to fix). */
@Injectable()
export class RepairDriftUseCase {
  private readonly logger = new Logger(RepairDriftUseCase.name);

  constructor(private readonly drift: DriftCheck) {}

  async execute(tenantId: string): Promise<DriftRepair> {
    const done = await this.drift.repair(tenantId);
    const { resources, ...deployments } = done.repaired;
    this.logger.log({ tenantId, ...deployments, orphans_deleted: deployments.orphans_deleted.length, resources_marked_gone: resources.marked_gone, resource_orphans_deleted: resources.orphans_deleted.length }, 'drift repaired');
    return done;
  }
}

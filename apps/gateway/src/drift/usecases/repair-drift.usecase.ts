import { Injectable, Logger } from '@nestjs/common';
import { DriftCheck, DriftRepair } from '@cam-esc/drift';

/** POST /cam/api/v1/drift/repair: the report, and what was fixed (what is safe to fix). */
@Injectable()
export class RepairDriftUseCase {
  private readonly logger = new Logger(RepairDriftUseCase.name);

  constructor(private readonly drift: DriftCheck) {}

  async execute(tenantId: string): Promise<DriftRepair> {
    const done = await this.drift.repair(tenantId);
    this.logger.log({ tenantId, ...done.repaired, orphans_deleted: done.repaired.orphans_deleted.length }, 'drift repaired');
    return done;
  }
}

import { Injectable } from '@nestjs/common';
import { DriftCheck, DriftReport } from '@cam-esc/drift';

/** GET /cam/api/v1/drift: what differs between ESC and the tenant's records; changes nothing. */
@Injectable()
export class ReportDriftUseCase {
  constructor(private readonly drift: DriftCheck) {}

  execute(tenantId: string): Promise<DriftReport> {
    return this.drift.report(tenantId);
  }
}

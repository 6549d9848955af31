import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DriftCheck } from '@cam-esc/drift';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { MaintenanceCounterRepository, PrismaService } from '@cam-esc/persistence';

/** How often the workers compare ESC with the records. */
export const DRIFT_CHECK_INTERVAL_MS = 15 * 60_000;

/**
 * The scheduled drift check: every tenant with deployments on record, against ESC. It repairs
 * nothing (POST /cam/api/v1/drift/repair does, when asked); it says what it found in the log and
 * in /metrics (cam_esc_drift), so that an operator is told without looking.
 */
@Injectable()
export class CheckDriftUseCase implements OnApplicationBootstrap {
  private readonly logger = new Logger(CheckDriftUseCase.name);

  constructor(
    private readonly drift: DriftCheck,
    private readonly prisma: PrismaService,
    private readonly jobs: JobQueue,
    private readonly counters: MaintenanceCounterRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule(JobName.CheckDrift, {}, DRIFT_CHECK_INTERVAL_MS);
  }

  async execute(): Promise<void> {
    const tenants = await this.prisma.serviceInstance.findMany({ where: { escResources: { some: {} } }, distinct: ['tenantId'], select: { tenantId: true } });
    const totals = { orphans: 0, missing: 0, vm_states: 0, resource_orphans: 0, resources_missing: 0, unreachable: 0 };
    for (const { tenantId } of tenants) {
      const report = await this.drift.report(tenantId);
      for (const c of report.connections) {
        if (c.error) totals.unreachable += 1;
        totals.unreachable += c.resources.errors.length;
        totals.orphans += c.orphans.length;
        totals.missing += c.missing.length;
        totals.vm_states += c.vm_states.length;
        totals.resource_orphans += c.resources.orphans.length;
        totals.resources_missing += c.resources.missing.length;
        const differs = c.orphans.length + c.missing.length + c.vm_states.length + c.resources.orphans.length + c.resources.missing.length;
        if (differs) {
          this.logger.warn(
            { tenantId, connection: c.connection, orphans: c.orphans.length, missing: c.missing.length, vmStates: c.vm_states.length, resourceOrphans: c.resources.orphans.length, resourcesMissing: c.resources.missing.length },
            'ESC and the records differ (GET /cam/api/v1/drift for the details, POST …/drift/repair to fix what is safe)',
          );
        }
      }
    }
    for (const [kind, n] of Object.entries(totals)) await this.counters.set('drift_last_check', kind, n);
  }
}

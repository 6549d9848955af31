import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';

/** ServiceManifest/{id}/retire: Draft or Published → Retired (it can no longer be deployed). */
@Injectable()
export class RetireVersionUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
    private readonly jobs: JobQueue,
  ) {}

  async execute(tenantId: string, versionId: string): Promise<VersionWithService> {
    const version = await this.services.findVersion(tenantId, versionId);
    if (!version) throw DomainException.notFound('service version', versionId);
    if (version.status === 'Retired') return version;
    // best effort: once retired, a pending job is a no-op anyway
    if (version.retireOn) await this.jobs.cancel(JobName.RetireVersion, { serviceVersionId: version.id, retireOn: version.retireOn.toISOString() }).catch(() => undefined);
    return this.versions.retire(version.id, new Date());
  }
}

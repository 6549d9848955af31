import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';

/** Service/{id}/deleteService with `{"version_id"}` or `{"version"}`: one version; the default moves to another. */
@Injectable()
export class DeleteServiceVersionUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  async execute(tenantId: string, serviceId: string, which: { versionId?: string; version?: string }): Promise<{ count: number }> {
    const service = await this.services.findById(tenantId, serviceId);
    if (!service) throw DomainException.notFound('service', serviceId);
    let version: VersionWithService | null = null;
    if (which.versionId !== undefined) {
      version = await this.services.findVersion(tenantId, which.versionId);
      if (!version || version.serviceId !== service.id) throw DomainException.notFound(`version of service '${service.name}'`, which.versionId);
    } else {
      const found = await this.versions.findByLabel(service.id, which.version!);
      if (!found) throw DomainException.notFound(`version of service '${service.name}'`, which.version!);
      version = { ...found, service };
    }
    const live = await this.versions.liveInstanceCount({ serviceVersionId: version.id });
    if (live > 0) throw DomainException.conflict(`version '${version.version}' of service '${service.name}' has ${live} live instance(s): terminate them first`);
    if ((await this.versions.list(service.id, { field: 'createdAt', direction: 'asc' }, { limit: 2, skip: 0 })).length < 2) {
      throw DomainException.conflict(`version '${version.version}' is the last of service '${service.name}', which keeps at least one: delete the service with {} instead`);
    }
    await this.versions.delete(version);
    return { count: 1 };
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';

/** ServiceManifest/{id}/unretire: Retired → Published ("moves it back to Published state", as CAM says). */
@Injectable()
export class UnretireVersionUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  async execute(tenantId: string, versionId: string): Promise<VersionWithService> {
    const version = await this.services.findVersion(tenantId, versionId);
    if (!version) throw DomainException.notFound('service version', versionId);
    if (version.status !== 'Retired') throw DomainException.conflict(`service version '${version.version}' is ${version.status}, not Retired: there is nothing to unretire`);
    return this.versions.unretire(version.id, new Date());
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';

@Injectable()
export class PublishVersionUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  async execute(tenantId: string, versionId: string): Promise<VersionWithService> {
    const version = await this.services.findVersion(tenantId, versionId);
    if (!version) throw DomainException.notFound('service version', versionId);
    if (version.status === 'Published') return version;
    if (version.status === 'Retired') throw DomainException.conflict(`service version '${version.version}' is Retired; unretire it, which publishes it again`);
    return this.versions.publish(versionId, new Date());
  }
}

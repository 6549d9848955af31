import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, VersionWithService } from '@cam-esc/persistence';

@Injectable()
export class PublishVersionUseCase {
  constructor(private readonly services: ServiceRepository) {}

  async execute(tenantId: string, versionId: string): Promise<VersionWithService> {
    const version = await this.services.findVersion(tenantId, versionId);
    if (!version) throw DomainException.notFound('service version', versionId);
    if (version.status === 'Published') return version;
    if (version.status === 'Retired') throw DomainException.conflict(`service version '${versionId}' is retired; unretire it before publishing`);
    return this.services.publish(versionId, new Date());
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Prisma, ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';

const LABEL = /^[0-9A-Za-z._-]{1,64}$/;

/** ServiceManifest/{id}/copyService: a Draft copy of a version, as version `new_version_name` of service `to_service_id`. */
@Injectable()
export class CopyServiceVersionUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  async execute(tenantId: string, versionId: string, body: unknown): Promise<VersionWithService> {
    const { to_service_id: to, new_version_name: label } = (body ?? {}) as { to_service_id?: unknown; new_version_name?: unknown };
    if (typeof to !== 'string' || !to) throw DomainException.invalid('to_service_id: is required: the id of the service to copy the version to', { field: 'to_service_id' });
    if (typeof label !== 'string' || !LABEL.test(label)) {
      throw DomainException.invalid('new_version_name: is required: 1..64 characters of 0-9 A-Z a-z . _ -', { field: 'new_version_name' });
    }
    const source = await this.services.findVersion(tenantId, versionId);
    if (!source) throw DomainException.notFound('service version', versionId);
    const target = await this.services.findById(tenantId, to);
    if (!target) throw DomainException.invalid(`to_service_id: service '${to}' was not found`, { field: 'to_service_id' });
    if (await this.versions.findByLabel(target.id, label)) throw DomainException.conflict(`new_version_name: service '${target.name}' already has a version '${label}'`);
    const document = { ...(source.document as Record<string, unknown>), version: label };
    return this.versions.add(target.id, tenantId, label, document as Prisma.InputJsonValue);
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Prisma, ServiceRepository, ServiceVersionRepository, VersionWithService } from '@cam-esc/persistence';
import { ServiceDocumentIntake } from '../service-document-intake';

/** Service/{id}/addServiceVersion: a new Draft version; the service's name, category and image stay. */
@Injectable()
export class AddServiceVersionUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
    private readonly intake: ServiceDocumentIntake,
  ) {}

  async execute(tenantId: string, serviceId: string, body: unknown): Promise<{ version: VersionWithService; warnings: string[] }> {
    const service = await this.services.findById(tenantId, serviceId);
    if (!service) throw DomainException.notFound('service', serviceId);
    const { document, warnings } = await this.intake.accept(tenantId, body, service);
    if (await this.versions.findByLabel(service.id, document.version!)) {
      throw DomainException.conflict(`service.version: service '${service.name}' already has a version '${document.version}'`);
    }
    const version = await this.versions.add(service.id, tenantId, document.version!, document as unknown as Prisma.InputJsonValue);
    return { version, warnings };
  }
}

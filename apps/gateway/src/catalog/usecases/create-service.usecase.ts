import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Prisma, SERVICE_KIND, ServiceRepository, VersionWithService } from '@cam-esc/persistence';
import { ServiceDocumentIntake } from '../service-document-intake';

export interface CreateServiceCommand {
  tenantId: string;
  namespaceId: string;
  /** ace_orgGuid of the request. */
  orgGuid?: string;
  body: unknown;
  /** Actions/createAction stores its action as a service of this kind, hidden from the catalog. */
  kind?: string;
}

export interface CreatedService {
  version: VersionWithService;
  warnings: string[];
}

/** Stores a service with its default version, as CAM does (warnings for what only stops a deploy). */
@Injectable()
export class CreateServiceUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly intake: ServiceDocumentIntake,
  ) {}

  async execute(cmd: CreateServiceCommand): Promise<CreatedService> {
    const { document, warnings } = await this.intake.accept(cmd.tenantId, cmd.body);
    const meta = document.catalog_metadata;
    if (await this.services.findByName(cmd.tenantId, meta.name)) {
      throw DomainException.conflict(`service.catalog_metadata.name: a service named '${meta.name}' already exists`);
    }
    const version = await this.services.createWithDefaultVersion({
      tenantId: cmd.tenantId,
      namespaceId: cmd.namespaceId,
      orgGuid: cmd.orgGuid ?? 'all',
      kind: cmd.kind ?? SERVICE_KIND.Service,
      name: meta.name,
      category: meta.category!,
      author: meta.author ?? 'admin',
      image: meta.image ?? 'serviceicon_1.svg',
      description: meta.description ?? '',
      longDescription: meta.longDescription ?? '',
      version: document.version!,
      document: document as unknown as Prisma.InputJsonValue,
    });
    return { version, warnings };
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { Prisma, Service, ServiceVersion } from '../generated/prisma/client';

export type ServiceWithVersions = Service & { versions: ServiceVersion[] };
export type VersionWithService = ServiceVersion & { service: Service };

export interface NewService {
  tenantId: string;
  namespaceId: string;
  name: string;
  author: string;
  image: string;
  description: string;
  longDescription: string;
  version: string;
  document: Prisma.InputJsonValue;
}

@Injectable()
export class ServiceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A service and its first (default) version, in one transaction. */
  createWithDefaultVersion(data: NewService): Promise<VersionWithService> {
    const { version, document, ...service } = data;
    return this.prisma.$transaction(async (tx) => {
      const created = await tx.service.create({ data: service });
      const v = await tx.serviceVersion.create({
        data: { serviceId: created.id, tenantId: service.tenantId, version, status: 'Draft', document },
      });
      const updated = await tx.service.update({ where: { id: created.id }, data: { defaultVersionId: v.id } });
      return { ...v, service: updated };
    });
  }

  findByName(tenantId: string, name: string): Promise<Service | null> {
    return this.prisma.service.findUnique({ where: { tenantId_name: { tenantId, name } } });
  }

  findById(tenantId: string, id: string): Promise<Service | null> {
    return this.prisma.service.findFirst({ where: { tenantId, id } });
  }

  findVersion(tenantId: string, versionId: string): Promise<VersionWithService | null> {
    return this.prisma.serviceVersion.findFirst({ where: { tenantId, id: versionId }, include: { service: true } });
  }

  publish(versionId: string, at: Date): Promise<VersionWithService> {
    return this.prisma.serviceVersion.update({ where: { id: versionId }, data: { status: 'Published', publishedAt: at }, include: { service: true } });
  }

  list(tenantId: string): Promise<ServiceWithVersions[]> {
    return this.prisma.service.findMany({ where: { tenantId }, include: { versions: true }, orderBy: { createdAt: 'asc' } });
  }
}

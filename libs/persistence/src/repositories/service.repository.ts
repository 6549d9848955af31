import { Injectable } from '@nestjs/common';
import { keysetAfter } from './keyset';
import { isUuid } from './uuid';
import { PrismaService } from '../prisma.service';
import { Prisma, Service, ServiceVersion } from '../generated/prisma/client';

export type ServiceWithVersions = Service & { versions: VersionSummary[] };
export type VersionWithService = ServiceVersion & { service: Service };
export type VersionSummary = Pick<ServiceVersion, "id" | "version" | "status">;

export { isUuid } from './uuid';

export const SERVICE_KIND = { Service: 'service', StandaloneAction: 'standalone_action' } as const;

export interface NewService {
  tenantId: string;
  namespaceId: string;
  orgGuid?: string;
  kind?: string;
  name: string;
  category: string;
  author: string;
  image: string;
  description: string;
  longDescription: string;
  version: string;
  document: Prisma.InputJsonValue;
}

export interface ServiceListQuery {
  tenantId: string;
  /** cloudOE_spaceGuid: that namespace's services and the `default` namespace's. */
  namespace?: string;
  /** ace_orgGuid: that team's services and those for every team (`all`); `all` itself lists every team's. */
  orgGuid?: string;
  where?: { name?: string; category?: string; author?: string };
  order: { field: 'createdAt' | 'updatedAt' | 'name'; direction: 'asc' | 'desc' };
  limit: number;
  skip: number;
  /** Keyset: the entries after this (sort value, id), in the order asked. */
  after?: { value: string; id: string };
}

export type ServiceChanges = Partial<Pick<Service, 'name' | 'category' | 'image' | 'defaultVersionId' | 'namespaceIds'>>;

/** Rows after (value, id) in the (field, id) order: the WHERE of keyset pagination, served by the (tenant, kind, created_at, id) index. */
/** Services of the catalog. Versions are in ServiceVersionRepository. */
@Injectable()
export class ServiceRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A service and its first (default) version, in one transaction. */
  createWithDefaultVersion(data: NewService): Promise<VersionWithService> {
    const { version, document, ...service } = data;
    return this.prisma.$transaction(async (tx) => {
      const created = await tx.service.create({ data: service });
      const v = await tx.serviceVersion.create({ data: { serviceId: created.id, tenantId: service.tenantId, version, status: 'Draft', document } });
      const updated = await tx.service.update({ where: { id: created.id }, data: { defaultVersionId: v.id } });
      return { ...v, service: updated };
    });
  }

  findByName(tenantId: string, name: string): Promise<Service | null> {
    return this.prisma.service.findUnique({ where: { tenantId_name: { tenantId, name } } });
  }

  /** Null for an id that is not a UUID (it names nothing), as for an unknown one. */
  async findById(tenantId: string, id: string, kind: string = SERVICE_KIND.Service): Promise<Service | null> {
    return isUuid(id) ? this.prisma.service.findFirst({ where: { tenantId, id, kind } }) : null;
  }

  /** A version of a catalog service (or, with `kind`, of a standalone action's hidden service). */
  async findVersion(tenantId: string, versionId: string, kind: string = SERVICE_KIND.Service): Promise<VersionWithService | null> {
    return isUuid(versionId) ? this.prisma.serviceVersion.findFirst({ where: { tenantId, id: versionId, service: { kind } }, include: { service: true } }) : null;
  }

  /** A page of catalog services (standalone actions' services are not listed), with their versions' ids and states. */
  list(q: ServiceListQuery): Promise<ServiceWithVersions[]> {
    return this.prisma.service.findMany({
      where: {
        tenantId: q.tenantId,
        kind: SERVICE_KIND.Service,
        AND: [
          q.namespace ? { OR: [{ namespaceId: q.namespace }, { namespaceIds: { has: q.namespace } }, { namespaceId: 'default' }] } : {},
          q.after ? (keysetAfter(q.order, q.after, ['name']) as Prisma.ServiceWhereInput) : {},
        ],
        ...(q.orgGuid && q.orgGuid !== 'all' ? { orgGuid: { in: [q.orgGuid, 'all'] } } : {}),
        ...(q.where?.name !== undefined ? { name: q.where.name } : {}),
        ...(q.where?.category !== undefined ? { category: q.where.category } : {}),
        ...(q.where?.author !== undefined ? { author: q.where.author } : {}),
      },
      include: { versions: { select: { id: true, version: true, status: true }, orderBy: { createdAt: 'asc' } } },
      orderBy: [{ [q.order.field]: q.order.direction }, { id: q.order.direction }],
      take: q.limit,
      skip: q.skip,
    });
  }

  /** Every service of the tenant that has a version, with its versions' documents: for checks that read flows. */
  withDocuments(tenantId: string): Promise<Array<Service & { versions: ServiceVersion[] }>> {
    return this.prisma.service.findMany({ where: { tenantId }, include: { versions: true } });
  }

  update(id: string, changes: ServiceChanges): Promise<Service> {
    return this.prisma.service.update({ where: { id }, data: changes });
  }

  /** Deletes the service, its versions and their terminated instances; 0 when it was gone already. */
  delete(tenantId: string, id: string): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      await tx.serviceInstance.deleteMany({ where: { tenantId, serviceId: id, status: 'Terminated' } });
      const { count } = await tx.service.deleteMany({ where: { tenantId, id } });
      return count;
    });
  }

  /** A new service with copies of every version (Draft, like CAM's duplicate); the default version follows the source's. */
  duplicate(source: Service, name: string): Promise<VersionWithService> {
    return this.prisma.$transaction(async (tx) => {
      const { id: _id, createdAt: _c, updatedAt: _u, defaultVersionId, ...fields } = source;
      const created = await tx.service.create({ data: { ...fields, name, namespaceIds: [...source.namespaceIds] } });
      const versions = await tx.serviceVersion.findMany({ where: { serviceId: source.id }, orderBy: { createdAt: 'asc' } });
      let defaultCopy: ServiceVersion | undefined;
      for (const v of versions) {
        const copy = await tx.serviceVersion.create({
          data: { serviceId: created.id, tenantId: source.tenantId, version: v.version, status: 'Draft', document: v.document as Prisma.InputJsonValue },
        });
        if (v.id === defaultVersionId || !defaultCopy) defaultCopy = copy;
      }
      const updated = await tx.service.update({ where: { id: created.id }, data: { defaultVersionId: defaultCopy?.id ?? null } });
      return { ...defaultCopy!, service: updated };
    });
  }
}

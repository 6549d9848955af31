import { Injectable } from '@nestjs/common';
import { OutboxEntry, writeOutbox } from './job-outbox.repository';
import { PrismaService } from '../prisma.service';
import { Prisma, ServiceVersion } from '../generated/prisma/client';
import { VersionWithService } from './service.repository';

/** Instances that still exist on ESC's side or may again: everything but Terminated. */
const LIVE_INSTANCE = { status: { not: 'Terminated' } };

export type VersionOrderField = 'createdAt' | 'updatedAt' | 'version' | 'status' | 'publishedAt';

/** Versions ("ServiceManifest") of catalog services. */
@Injectable()
export class ServiceVersionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The documents of these versions (a list page's default versions). */
  documents(ids: string[]): Promise<Array<Pick<ServiceVersion, 'id' | 'document'>>> {
    return ids.length ? this.prisma.serviceVersion.findMany({ where: { id: { in: ids } }, select: { id: true, document: true } }) : Promise.resolve([]);
  }

  /** Every version of a service with its document (a service has a handful): what version changes are weighed against. */
  allOfService(serviceId: string): Promise<ServiceVersion[]> {
    return this.prisma.serviceVersion.findMany({ where: { serviceId }, orderBy: { createdAt: 'asc' } });
  }

  findByLabel(serviceId: string, version: string): Promise<ServiceVersion | null> {
    return this.prisma.serviceVersion.findUnique({ where: { serviceId_version: { serviceId, version } } });
  }

  list(serviceId: string, order: { field: VersionOrderField; direction: 'asc' | 'desc' }, page: { limit: number; skip: number }): Promise<ServiceVersion[]> {
    return this.prisma.serviceVersion.findMany({
      where: { serviceId },
      orderBy: [{ [order.field]: order.direction }, { id: order.direction }],
      take: page.limit,
      skip: page.skip,
    });
  }

  add(serviceId: string, tenantId: string, version: string, document: Prisma.InputJsonValue): Promise<VersionWithService> {
    return this.prisma.serviceVersion.create({ data: { serviceId, tenantId, version, status: 'Draft', document }, include: { service: true } });
  }

  updateDocument(id: string, version: string, document: Prisma.InputJsonValue): Promise<VersionWithService> {
    return this.prisma.serviceVersion.update({ where: { id }, data: { version, document }, include: { service: true } });
  }

  publish(id: string, at: Date): Promise<VersionWithService> {
    return this.prisma.serviceVersion.update({ where: { id }, data: { status: 'Published', publishedAt: at }, include: { service: true } });
  }

  retire(id: string, at: Date): Promise<VersionWithService> {
    return this.prisma.serviceVersion.update({ where: { id }, data: { status: 'Retired', retiredAt: at, retireOn: null }, include: { service: true } });
  }

  /** Back to Published (CAM: unretire "moves it back to Published state"); retiredTime stays as history. */
  unretire(id: string, at: Date): Promise<VersionWithService> {
    return this.prisma.serviceVersion.update({ where: { id }, data: { status: 'Published', publishedAt: at }, include: { service: true } });
  }

  /** Sets (or clears) a version's retire date; with a date, its job (an outbox row) is written with it. */
  setRetireOn(id: string, day: Date | null, job?: OutboxEntry): Promise<{ version: VersionWithService; outboxId?: bigint }> {
    return this.prisma.$transaction(async (tx) => {
      const version = await tx.serviceVersion.update({ where: { id }, data: { retireOn: day }, include: { service: true } });
      const [outboxId] = job ? await writeOutbox(tx, [job]) : [];
      return { version, outboxId };
    });
  }

  /** Versions waiting for their retire date, for the worker's sweep (a page at a time). */
  dueForRetirement(afterId: string | undefined, limit: number): Promise<Array<Pick<ServiceVersion, 'id' | 'tenantId' | 'retireOn'>>> {
    return this.prisma.serviceVersion.findMany({
      where: { retireOn: { not: null }, status: { not: 'Retired' }, ...(afterId ? { id: { gt: afterId } } : {}) },
      select: { id: true, tenantId: true, retireOn: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /** Deletes a version (and its terminated instances); when it was the service's default, another one (the newest) becomes the default. */
  delete(version: VersionWithService): Promise<void> {
    return this.prisma.$transaction(async (tx) => {
      await tx.serviceInstance.deleteMany({ where: { serviceVersionId: version.id, status: 'Terminated' } });
      await tx.serviceVersion.delete({ where: { id: version.id } });
      if (version.service.defaultVersionId !== version.id) return;
      const next = await tx.serviceVersion.findFirst({ where: { serviceId: version.serviceId }, orderBy: { createdAt: 'desc' }, select: { id: true } });
      await tx.service.update({ where: { id: version.serviceId }, data: { defaultVersionId: next?.id ?? null } });
    });
  }

  /** Live instances per version id (0 for versions without any). */
  async liveInstanceCounts(versionIds: string[]): Promise<Map<string, number>> {
    const counts = new Map(versionIds.map((id) => [id, 0]));
    if (!versionIds.length) return counts;
    const rows = await this.prisma.serviceInstance.groupBy({ by: ['serviceVersionId'], where: { serviceVersionId: { in: versionIds }, ...LIVE_INSTANCE }, _count: { _all: true } });
    for (const r of rows) counts.set(r.serviceVersionId, r._count._all);
    return counts;
  }

  /** Live instances of a service or version: while there are some, it cannot be deleted. */
  async liveInstanceCount(where: { serviceId?: string; serviceVersionId?: string }): Promise<number> {
    return this.prisma.serviceInstance.count({ where: { ...where, ...LIVE_INSTANCE } });
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { EscTemplate } from '../generated/prisma/client';

export type NewTemplate = Pick<EscTemplate, 'tenantId' | 'name' | 'version' | 'resourceKind' | 'content' | 'placeholders'>;

@Injectable()
export class TemplateRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: NewTemplate): Promise<EscTemplate> {
    return this.prisma.escTemplate.create({ data });
  }

  findById(tenantId: string, id: string): Promise<EscTemplate | null> {
    return this.prisma.escTemplate.findFirst({ where: { tenantId, id } });
  }

  findByNameAndVersion(tenantId: string, name: string, version: string): Promise<EscTemplate | null> {
    return this.prisma.escTemplate.findUnique({ where: { tenantId_name_version: { tenantId, name, version } } });
  }

  /** A page of templates, without their content. */
  list(
    tenantId: string,
    where: { name?: string; version?: string; resourceKind?: string } = {},
    page: { limit: number; skip: number; order: { field: 'name' | 'createdAt' | 'updatedAt'; direction: 'asc' | 'desc' } } = { limit: 1000, skip: 0, order: { field: 'name', direction: 'asc' } },
  ): Promise<Omit<EscTemplate, 'content'>[]> {
    return this.prisma.escTemplate.findMany({
      where: { tenantId, ...where },
      omit: { content: true },
      orderBy: [{ [page.order.field]: page.order.direction }, { version: page.order.direction }, { id: page.order.direction }],
      take: page.limit,
      skip: page.skip,
    });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.escTemplate.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }
}

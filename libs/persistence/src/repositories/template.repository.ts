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

  list(tenantId: string): Promise<EscTemplate[]> {
    return this.prisma.escTemplate.findMany({ where: { tenantId }, orderBy: [{ name: 'asc' }, { version: 'asc' }] });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.escTemplate.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { Icon } from '../generated/prisma/client';

export type IconMeta = Omit<Icon, 'content'>;
const META = { id: true, tenantId: true, name: true, contentType: true, size: true, createdAt: true } as const;

@Injectable()
export class IconRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: Pick<Icon, 'tenantId' | 'name' | 'contentType' | 'size'> & { content: Uint8Array }): Promise<IconMeta> {
    return this.prisma.icon.create({ data: { ...data, content: Uint8Array.from(data.content) }, select: META });
  }

  findByName(tenantId: string, name: string): Promise<Icon | null> {
    return this.prisma.icon.findUnique({ where: { tenantId_name: { tenantId, name } } });
  }

  findById(tenantId: string, id: string): Promise<Icon | null> {
    return this.prisma.icon.findFirst({ where: { tenantId, id } });
  }

  list(tenantId: string, where: { id?: string; name?: string; contentType?: string }, page: { limit: number; skip: number; direction: 'asc' | 'desc' }): Promise<IconMeta[]> {
    return this.prisma.icon.findMany({
      where: { tenantId, ...where },
      select: META,
      orderBy: [{ createdAt: page.direction }, { id: page.direction }],
      take: page.limit,
      skip: page.skip,
    });
  }

  count(tenantId: string, where: { id?: string; name?: string; contentType?: string }): Promise<number> {
    return this.prisma.icon.count({ where: { tenantId, ...where } });
  }

  /** Which of these names the tenant's icons have. */
  async namesTaken(tenantId: string, names: string[]): Promise<Set<string>> {
    const rows = await this.prisma.icon.findMany({ where: { tenantId, name: { in: names } }, select: { name: true } });
    return new Set(rows.map((r) => r.name));
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.icon.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }
}

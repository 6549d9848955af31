import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { Prisma, SharedParameter } from '../generated/prisma/client';

export interface SharedParameterFields {
  name: string;
  datatype: string;
  /** Secured values already sealed. */
  values: Prisma.InputJsonObject;
  securedKeys: string[];
}

@Injectable()
export class SharedParameterRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tenantId: string, data: SharedParameterFields): Promise<SharedParameter> {
    return this.prisma.sharedParameter.create({ data: { tenantId, ...data } });
  }

  findById(tenantId: string, id: string): Promise<SharedParameter | null> {
    return this.prisma.sharedParameter.findFirst({ where: { tenantId, id } });
  }

  /** The deploy path's lookup: a `sharedparameter` parameter names its set by name. */
  findByName(tenantId: string, name: string): Promise<SharedParameter | null> {
    return this.prisma.sharedParameter.findUnique({ where: { tenantId_name: { tenantId, name } } });
  }

  list(tenantId: string, where: { datatype?: string } = {}): Promise<SharedParameter[]> {
    return this.prisma.sharedParameter.findMany({ where: { tenantId, ...where }, orderBy: [{ name: 'asc' }] });
  }

  update(tenantId: string, id: string, data: Partial<SharedParameterFields>): Promise<SharedParameter> {
    return this.prisma.sharedParameter.update({ where: { id, tenantId }, data });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.sharedParameter.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }
}

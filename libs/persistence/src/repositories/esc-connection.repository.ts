import { Injectable } from '@nestjs/common';
import { isUuid } from './uuid';
import { PrismaService } from '../prisma.service';
import { EscConnection } from '../generated/prisma/client';

export type EscConnectionFields = Pick<EscConnection, 'name' | 'url' | 'username' | 'passwordSealed' | 'defaultTenant' | 'caBundle' | 'timeoutSeconds' | 'maxInFlight'>;

/** What makes a use of a connection over: the instance is Terminated, or its resource is gone from ESC. */
export interface EndedUse {
  instanceStatus: string;
  resourceStatuses: string[];
}

@Injectable()
export class EscConnectionRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(tenantId: string, data: EscConnectionFields): Promise<EscConnection> {
    return this.prisma.escConnection.create({ data: { tenantId, ...data } });
  }

  /** By id, or by name (a connection's name is unique in its tenant, and no name is a UUID). */
  findById(tenantId: string, idOrName: string): Promise<EscConnection | null> {
    return this.prisma.escConnection.findFirst({ where: isUuid(idOrName) ? { tenantId, id: idOrName } : { tenantId, name: idOrName } });
  }

  findByName(tenantId: string, name: string): Promise<EscConnection | null> {
    return this.prisma.escConnection.findUnique({ where: { tenantId_name: { tenantId, name } } });
  }

  list(tenantId: string): Promise<EscConnection[]> {
    return this.prisma.escConnection.findMany({ where: { tenantId }, orderBy: [{ name: 'asc' }] });
  }

  update(tenantId: string, id: string, data: Partial<EscConnectionFields>): Promise<EscConnection> {
    return this.prisma.escConnection.update({ where: { id, tenantId }, data });
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const { count } = await this.prisma.escConnection.deleteMany({ where: { tenantId, id } });
    return count > 0;
  }

  /** Ids of the tenant's instances (at most `limit`) with a resource on the named connection that is not over yet. */
  async liveInstancesUsing(tenantId: string, name: string, ended: EndedUse, limit = 10): Promise<string[]> {
    const rows = await this.prisma.escResource.findMany({
      where: { connectionName: name, status: { notIn: ended.resourceStatuses }, serviceInstance: { tenantId, status: { not: ended.instanceStatus } } },
      select: { serviceInstanceId: true },
      distinct: ['serviceInstanceId'],
      orderBy: { serviceInstanceId: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.serviceInstanceId);
  }

  /** Instances whose running action has planned steps on the connection (they will make resources there). */
  async instancesPlanningOn(tenantId: string, name: string, runningStatuses: readonly string[], limit = 10): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT DISTINCT a.service_instance_id::text AS id FROM action_instance a JOIN service_instance s ON s.id = a.service_instance_id
      WHERE s.tenant_id = ${tenantId} AND a.status = ANY(${[...runningStatuses]}::text[]) AND a.parameters -> 'plan' @> ${JSON.stringify([{ connection: name }])}::jsonb
      ORDER BY 1 LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }
}

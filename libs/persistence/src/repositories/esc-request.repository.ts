import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { ActionInstance, EscRequest, EscResource, Prisma } from '../generated/prisma/client';

/** A request with the resource it is about, and the tenant of that resource's instance. */
export type EscRequestWithResource = EscRequest & { escResource: EscResource & { serviceInstance: { tenantId: string } } };

const WITH_RESOURCE = { escResource: { include: { serviceInstance: { select: { tenantId: true } } } } } as const;

const AUDIT = {
  escResource: { select: { stepId: true, kind: true, internalId: true, connectionName: true } },
  actionInstance: { select: { id: true, name: true, type: true, parameters: true, securedNames: true } },
  callbacks: { orderBy: { seq: 'asc' } },
} as const;

/** A request as the ESC audit of an instance shows it: its step, its action (and what that action keeps secret), its callbacks. */
export type EscRequestAudit = Prisma.EscRequestGetPayload<{ include: typeof AUDIT }>;

@Injectable()
export class EscRequestRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every request sent (or to be sent) for the tenant's instance, oldest first, with its callbacks; null when the tenant has no such instance. */
  async auditOfInstance(tenantId: string, serviceInstanceId: string): Promise<EscRequestAudit[] | null> {
    const instance = await this.prisma.serviceInstance.findFirst({ where: { id: serviceInstanceId, tenantId }, select: { id: true } });
    if (!instance) return null;
    return this.prisma.escRequest.findMany({ where: { escResource: { serviceInstanceId } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: AUDIT });
  }

  findWithResource(id: string): Promise<EscRequestWithResource | null> {
    return this.prisma.escRequest.findUnique({ where: { id }, include: WITH_RESOURCE });
  }

  /** The request with the action it belongs to and whether that action is the instance's current one. */
  async findWithAction(id: string): Promise<(EscRequest & { actionInstance: ActionInstance; isCurrentAction: boolean }) | null> {
    const request = await this.prisma.escRequest.findUnique({ where: { id }, include: { actionInstance: { include: { serviceInstance: { select: { currentActionInstanceId: true } } } } } });
    if (!request) return null;
    const { serviceInstance, ...actionInstance } = request.actionInstance;
    return { ...request, actionInstance, isCurrentAction: serviceInstance.currentActionInstanceId === actionInstance.id };
  }
}

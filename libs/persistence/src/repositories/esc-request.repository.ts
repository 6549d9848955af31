import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { ActionInstance, EscRequest, EscResource } from '../generated/prisma/client';

/** A request with the resource it is about, and the tenant of that resource's instance. */
export type EscRequestWithResource = EscRequest & { escResource: EscResource & { serviceInstance: { tenantId: string } } };

const WITH_RESOURCE = { escResource: { include: { serviceInstance: { select: { tenantId: true } } } } } as const;

@Injectable()
export class EscRequestRepository {
  constructor(private readonly prisma: PrismaService) {}

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

import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { EscCallback, EscRequest, Prisma } from '../generated/prisma/client';

export type NewCallback = Omit<Prisma.EscCallbackUncheckedCreateInput, 'id' | 'seq' | 'receivedAt' | 'appliedAt'>;

@Injectable()
export class EscCallbackRepository {
  constructor(private readonly prisma: PrismaService) {}

  findRequestByCallbackToken(token: string): Promise<(EscRequest & { escResource: { serviceInstanceId: string } }) | null> {
    return this.prisma.escRequest.findUnique({ where: { callbackToken: token }, include: { escResource: { select: { serviceInstanceId: true } } } });
  }

  findRequestById(id: string): Promise<(EscRequest & { escResource: { serviceInstanceId: string } }) | null> {
    return this.prisma.escRequest.findUnique({ where: { id }, include: { escResource: { select: { serviceInstanceId: true } } } });
  }

  create(data: NewCallback): Promise<EscCallback> {
    return this.prisma.escCallback.create({ data });
  }

  findById(id: string): Promise<EscCallback | null> {
    return this.prisma.escCallback.findUnique({ where: { id } });
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { EscCallback, Prisma } from '../generated/prisma/client';

export type NewCallback = Omit<Prisma.EscCallbackUncheckedCreateInput, 'id' | 'seq' | 'receivedAt' | 'appliedAt'>;

@Injectable()
export class EscCallbackRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(data: NewCallback): Promise<EscCallback> {
    return this.prisma.escCallback.create({ data });
  }

  findById(id: string): Promise<EscCallback | null> {
    return this.prisma.escCallback.findUnique({ where: { id } });
  }
}

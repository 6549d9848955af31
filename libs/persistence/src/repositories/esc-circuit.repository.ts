import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

/** A circuit not seen for this long belongs to a worker that went away. */
export const CIRCUIT_STALE_MS = 2 * 60_000;

export interface CircuitRow {
  connectionKey: string;
  connectionName: string;
  workerId: string;
  state: string;
  changedAt: Date;
}

/** The workers' ESC circuits that are not closed (esc_circuit). */
@Injectable()
export class EscCircuitRepository {
  constructor(private readonly prisma: PrismaService) {}

  async record(workerId: string, change: { key: string; name: string; state: string }): Promise<void> {
    const now = new Date();
    if (change.state === 'closed') {
      await this.prisma.escCircuit.deleteMany({ where: { connectionKey: change.key, workerId } });
      return;
    }
    await this.prisma.escCircuit.upsert({
      where: { connectionKey_workerId: { connectionKey: change.key, workerId } },
      create: { connectionKey: change.key, workerId, connectionName: change.name, state: change.state, changedAt: now, seenAt: now },
      update: { state: change.state, changedAt: now, seenAt: now },
    });
  }

  async stillSeen(workerId: string): Promise<void> {
    await this.prisma.escCircuit.updateMany({ where: { workerId }, data: { seenAt: new Date() } });
  }

  /** Deletes this worker's rows but those of `keys`. */
  async keepOnly(workerId: string, keys: string[]): Promise<void> {
    await this.prisma.escCircuit.deleteMany({ where: { workerId, connectionKey: { notIn: keys } } });
  }

  async forget(workerId: string): Promise<void> {
    await this.prisma.escCircuit.deleteMany({ where: { workerId } });
  }

  /** Circuits not closed, of workers seen lately. */
  current(): Promise<CircuitRow[]> {
    return this.prisma.escCircuit.findMany({
      where: { seenAt: { gte: new Date(Date.now() - CIRCUIT_STALE_MS) } },
      select: { connectionKey: true, connectionName: true, workerId: true, state: true, changedAt: true },
      orderBy: [{ connectionName: 'asc' }, { workerId: 'asc' }],
    });
  }
}

import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service';

export type MaintenanceCounterName = 'reconciliations' | 'sweeps' | 'sweep_requeued' | 'outbox_relayed' | 'drift_last_check' | 'contradictions' | 'send_takeovers';

/** Counters of the workers' maintenance (maintenance_counter), for /metrics. */
@Injectable()
export class MaintenanceCounterRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Adds `by` to counter `name{label}`; never fails its caller (a counter is not worth a failed job). */
  async add(name: MaintenanceCounterName, label: string, by = 1): Promise<void> {
    if (by <= 0) return;
    await this.prisma.$executeRaw`
      INSERT INTO maintenance_counter (name, label, value) VALUES (${name}, ${label}, ${by})
      ON CONFLICT (name, label) DO UPDATE SET value = maintenance_counter.value + EXCLUDED.value`.catch(() => undefined);
  }

  /** Sets `name{label}` to `value` (a figure of the last check, not a count). */
  async set(name: MaintenanceCounterName, label: string, value: number): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO maintenance_counter (name, label, value) VALUES (${name}, ${label}, ${value})
      ON CONFLICT (name, label) DO UPDATE SET value = EXCLUDED.value`.catch(() => undefined);
  }

  all(): Promise<Array<{ name: string; label: string; value: bigint }>> {
    return this.prisma.maintenanceCounter.findMany();
  }
}

import { BATCH_ITEM_SHOWS, PrismaService } from '@cam-esc/persistence';
import { Gauge, Registry } from 'prom-client';

/**
 * Batches at a glance: how many there are by state, and the items of running batches by what
 * they show (Pending: waiting for their turn; the instance Status once started), with each
 * running batch's concurrency summed (the bound on their items in flight).
 */
export function registerBatchMetrics(registry: Registry, prisma: PrismaService): void {
  const registers = [registry];
  new Gauge({
    name: 'cam_esc_batches',
    help: 'Batches by state (Running, Cancelled, Done)',
    labelNames: ['state'],
    registers,
    collect: async function (this: Gauge) {
      this.reset();
      const rows = await prisma.$queryRaw<Array<{ state: string; n: number }>>`SELECT state, count(*)::int AS n FROM batch WHERE state <> 'Validating' GROUP BY state`;
      for (const r of rows) this.set({ state: r.state }, r.n);
    },
  });
  new Gauge({
    name: 'cam_esc_batch_items',
    help: 'Items of running batches by what they show: Pending (waiting for their turn), Invalid, Cancelled, or their instance Status',
    labelNames: ['status'],
    registers,
    collect: async function (this: Gauge) {
      this.reset();
      const rows = await prisma.$queryRaw<Array<{ status: string; n: number }>>`
        SELECT ${BATCH_ITEM_SHOWS} AS status, count(*)::int AS n
          FROM batch_item b JOIN batch ba ON ba.id = b.batch_id AND ba.state = 'Running'
          LEFT JOIN service_instance si ON si.id = b.service_instance_id
         GROUP BY 1`;
      for (const r of rows) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'cam_esc_batch_concurrency',
    help: 'The concurrency of the running batches, summed: at most this many of their items run at once (each ESC connection bounds its own requests with max_in_flight)',
    registers,
    collect: async function (this: Gauge) {
      const [row] = await prisma.$queryRaw<Array<{ n: number }>>`SELECT COALESCE(sum(concurrency), 0)::int AS n FROM batch WHERE state = 'Running'`;
      this.set(row.n);
    },
  });
}

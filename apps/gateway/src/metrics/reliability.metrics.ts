import { EscCircuitRepository, JobOutboxRepository, MaintenanceCounterRepository, PrismaService } from '@cam-esc/persistence';
import { Counter, Gauge, Registry } from 'prom-client';

/** Upper bounds (seconds) of the action duration histogram's buckets. */
const DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600];

const COUNTERS: Array<{ name: string; counter: string; label: string; help: string }> = [
  { name: 'cam_esc_reconciliations_total', counter: 'reconciliations', label: 'outcome', help: 'Overdue ESC requests checked by GET, by what ESC said (succeeded, failed, still_running)' },
  { name: 'cam_esc_sweeps_total', counter: 'sweeps', label: 'round', help: 'Sweeps for work that lost its job, by round (boot, sweep: every 5 minutes, store-lost: the queue store lost its data)' },
  { name: 'cam_esc_sweep_requeued_total', counter: 'sweep_requeued', label: 'what', help: 'Jobs the sweeps made again, by what they run (actions, callbacks, overdue_checks, retirements)' },
  { name: 'cam_esc_contradictions_total', counter: 'contradictions', label: 'verdict', help: "Final callbacks that contradicted how their request was recorded to end, by what ESC's GET made of it (confirmed: the record stands, corrected: the record now follows ESC, undecided, outdated: a later request speaks for the resource)" },
  { name: 'cam_esc_send_takeovers_total', counter: 'send_takeovers', label: 'from', help: 'ESC requests whose sending worker died mid-send, taken over by another worker (which asks ESC first)' },
  { name: 'cam_esc_outbox_relayed_total', counter: 'outbox_relayed', label: 'by', help: 'Outbox jobs a worker queued because the gateway that wrote them did not (it died, or the queue store was away)' },
];

/**
 * What an operator paged at night looks at: circuits of ESC connections, the outbox backlog,
 * ESC requests by connection and outcome, the workers' maintenance, and how long actions take.
 * Read from PostgreSQL at scrape time, like the rest, so every gateway serves the same figures.
 */
export function registerReliabilityMetrics(registry: Registry, prisma: PrismaService, circuits: EscCircuitRepository, outbox: JobOutboxRepository, counters: MaintenanceCounterRepository): void {
  const registers = [registry];
  new Gauge({
    name: 'cam_esc_esc_circuit_open',
    help: 'Workers holding the circuit of an ESC connection open (1 and more: requests on it wait), or half open (one trial request), by connection and state',
    labelNames: ['connection', 'state'],
    registers,
    collect: async function (this: Gauge) {
      this.reset();
      const counts = new Map<string, { connection: string; state: string; n: number }>();
      for (const r of await circuits.current()) {
        const key = `${r.connectionName}\u0000${r.state}`;
        counts.set(key, { connection: r.connectionName, state: r.state, n: (counts.get(key)?.n ?? 0) + 1 });
      }
      for (const c of counts.values()) this.set({ connection: c.connection, state: c.state }, c.n);
    },
  });
  new Gauge({
    name: 'cam_esc_outbox_jobs',
    help: 'Jobs committed but not yet in the queue (the outbox); more than a few for more than a few seconds: the queue store is away',
    registers,
    collect: async function (this: Gauge) {
      this.set((await outbox.backlog()).rows);
    },
  });
  new Gauge({
    name: 'cam_esc_outbox_oldest_seconds',
    help: 'Age of the oldest job waiting in the outbox (0 when empty)',
    registers,
    collect: async function (this: Gauge) {
      const { oldest } = await outbox.backlog();
      this.set(oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0);
    },
  });
  type Calls = Array<{ connection: string; operation: string; status: string; n: number }>;
  new Gauge({
    name: 'cam_esc_esc_calls',
    help: 'Requests sent to ESC, by connection, operation and outcome (Pending, Accepted, Succeeded, Failed)',
    labelNames: ['connection', 'operation', 'outcome'],
    registers,
    collect: async function (this: Gauge) {
      this.reset();
      const rows = await prisma.$queryRaw<Calls>`
        SELECT r.connection_name AS connection, q.operation, q.status, count(*)::int AS n
        FROM esc_request q JOIN esc_resource r ON r.id = q.esc_resource_id GROUP BY 1, 2, 3`;
      for (const r of rows) this.set({ connection: r.connection, operation: r.operation, outcome: r.status }, r.n);
    },
  });
  for (const c of COUNTERS) {
    new Counter({
      name: c.name,
      help: c.help,
      labelNames: [c.label],
      registers,
      collect: async function (this: Counter) {
        this.reset();
        for (const row of await counters.all()) if (row.name === c.counter) this.inc({ [c.label]: row.label }, Number(row.value));
      },
    });
  }
  new Gauge({
    name: 'cam_esc_drift',
    help: "What the workers' last scheduled drift check found, by kind (orphans, missing: deployments ESC no longer holds, vm_states, unreachable: connections not asked)",
    labelNames: ['kind'],
    registers,
    collect: async function (this: Gauge) {
      this.reset();
      for (const row of await counters.all()) if (row.name === 'drift_last_check') this.set({ kind: row.label }, Number(row.value));
    },
  });
  registry.registerMetric(actionDurations(prisma) as never);
}

type DurationRow = { type: string; status: string; n: number; sum: number } & Record<string, number | string>;

/**
 * A histogram of finished actions' durations (start to end), by action type and status, computed
 * by one aggregate query at scrape time (prom-client's Histogram only counts what it observed
 * itself, which a gateway that restarted, or did not run the action, never did).
 */
function actionDurations(prisma: PrismaService) {
  const name = 'cam_esc_action_duration_seconds';
  const buckets = DURATION_BUCKETS.map((le, i) => `count(*) FILTER (WHERE finished_at - started_at <= interval '${le} seconds')::int AS b${i}`).join(', ');
  const sql = `SELECT type, status, count(*)::int AS n, coalesce(sum(extract(epoch FROM finished_at - started_at)), 0)::float8 AS sum, ${buckets}
               FROM action_instance WHERE finished_at IS NOT NULL AND started_at IS NOT NULL GROUP BY type, status`;
  return {
    name,
    help: 'How long finished actions took, from their first step to their end, by type (provision, terminate, update, custom, bind, unbind) and status',
    type: 'histogram',
    aggregator: 'sum',
    reset: () => undefined,
    get: async () => {
      const rows = await prisma.$queryRawUnsafe<DurationRow[]>(sql);
      const values = rows.flatMap((r) => {
        const labels = { type: r.type, status: r.status };
        return [
          ...DURATION_BUCKETS.map((le, i) => ({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: Number(r[`b${i}`]) })),
          { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: r.n },
          { metricName: `${name}_sum`, labels, value: Number(r.sum) },
          { metricName: `${name}_count`, labels, value: r.n },
        ];
      });
      return { name, help: 'How long finished actions took', type: 'histogram', aggregator: 'sum', values };
    },
  };
}

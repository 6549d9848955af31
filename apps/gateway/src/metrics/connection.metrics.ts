import { EscConnectionConfig } from '@cam-esc/config';
import { DEFAULT_CONNECTION } from '@cam-esc/esc';
import { EscRequestRepository, PrismaService } from '@cam-esc/persistence';
import { Gauge, Registry } from 'prom-client';

/**
 * What bounds the traffic to each ESC connection: its max_in_flight (requests in flight at once,
 * shared by the live workers), and the requests being sent on it now, by tenant and connection
 * (the built-in connection, which ESC_URL configures, has tenant "").
 */
export function registerConnectionMetrics(registry: Registry, prisma: PrismaService, requests: EscRequestRepository, builtin: EscConnectionConfig): void {
  const registers = [registry];
  new Gauge({
    name: 'cam_esc_connection_max_in_flight',
    help: 'Requests an ESC connection takes in flight at once (max_in_flight), by tenant and connection; more wait their turn',
    labelNames: ['tenant', 'connection'],
    registers,
    collect: async function (this: Gauge) {
      this.reset();
      this.set({ tenant: '', connection: DEFAULT_CONNECTION }, builtin.maxInFlight);
      const rows = await prisma.escConnection.findMany({ select: { tenantId: true, name: true, maxInFlight: true } });
      for (const r of rows) this.set({ tenant: r.tenantId, connection: r.name }, r.maxInFlight);
    },
  });
  new Gauge({
    name: 'cam_esc_connection_in_flight',
    help: 'Requests being sent to ESC now (claimed by a worker, not yet answered; at most max_in_flight on the wire, the rest wait their turn), by tenant and connection',
    labelNames: ['tenant', 'connection'],
    registers,
    collect: async function (this: Gauge) {
      this.reset();
      for (const r of await requests.inFlight()) this.set({ tenant: r.tenantId, connection: r.connection }, r.n);
    },
  });
}

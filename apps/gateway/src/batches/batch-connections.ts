import { Injectable } from '@nestjs/common';
import { EscConnections } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';
import { EscRequestRepository } from '@cam-esc/persistence';

/** An ESC connection a batch runs on, with its bound: requests in flight at once, and now. */
export interface BatchConnectionView {
  name: string;
  /** null: the connection was deleted since. */
  max_in_flight: number | null;
  /** Requests of the tenant being sent on it now, the batch's and others' (claimed by a worker and not yet answered; at most max_in_flight of them on the wire, the rest wait their turn). */
  in_flight: number;
}

/** What bounds a batch besides its concurrency: each of its ESC connections' max_in_flight. */
@Injectable()
export class BatchConnections {
  constructor(
    private readonly connections: EscConnections,
    private readonly requests: EscRequestRepository,
  ) {}

  async view(tenantId: string, names: string[]): Promise<BatchConnectionView[]> {
    if (!names.length) return [];
    const inFlight = await this.requests.inFlight(tenantId);
    return Promise.all(
      names.map(async (name) => ({
        name,
        max_in_flight: await this.connections.resolve(tenantId, name).then(
          (c) => c.maxInFlight,
          (e: unknown) => (e instanceof DomainException ? null : Promise.reject(e)),
        ),
        in_flight: inFlight.find((r) => r.connection === name)?.n ?? 0,
      })),
    );
  }
}

import { Injectable } from '@nestjs/common';
import { EscConnections } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';
import { DEFAULT_CONNECTION, EscClient, probeEsc } from '@cam-esc/esc';
import { EscConnectionRepository } from '@cam-esc/persistence';

/** Reaches the connection's ESC with its credentials (GET /v0/tenants) and reports what happened; never a 5xx for an ESC that is down. */
@Injectable()
export class TestConnectionUseCase {
  constructor(
    private readonly connections: EscConnectionRepository,
    private readonly resolved: EscConnections,
    private readonly esc: EscClient,
  ) {}

  async execute(tenantId: string, id: string) {
    let name = DEFAULT_CONNECTION;
    if (id !== DEFAULT_CONNECTION) {
      const row = await this.connections.findById(tenantId, id);
      if (!row) throw DomainException.notFound('ESC connection', id);
      name = row.name;
    }
    const target = await this.resolved.resolve(tenantId, name);
    const probe = await probeEsc(this.esc, target);
    return {
      name: target.name,
      url: target.url,
      reachable: probe.reachable,
      http_status: probe.httpStatus,
      authenticated: probe.authenticated,
      tenants: probe.tenants,
      latency_ms: probe.latencyMs,
      message: probe.message,
    };
  }
}

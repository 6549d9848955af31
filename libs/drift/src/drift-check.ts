import { Injectable, Logger } from '@nestjs/common';
import { EscConnections } from '@cam-esc/connections';
import { DEFAULT_CONNECTION, EscClient, EscListedDeployment, EscTarget, EscUnreachableError, parseDeploymentList, vmStageRank } from '@cam-esc/esc';
import { EscStepKind, stepKind } from '@cam-esc/flow';
import { InstanceRepository, PrismaService, recordInstanceEvent } from '@cam-esc/persistence';
import { compareDeployments, ConnectionDrift, HELD_STATUSES, Ownership, RecordedDeployment } from './compare';

export interface DriftReport {
  checked_at: string;
  /** One entry per ESC connection looked at; `error` when ESC could not be asked. */
  connections: Array<ConnectionDrift & { error?: string }>;
}

export interface DriftRepair extends DriftReport {
  repaired: { vm_states_refreshed: number; marked_gone: number; orphans_deleted: Array<{ connection: string; internal_deployment_id: string; http_status: number }> };
}

/**
 * Compares what ESC holds (GET /v0/deployments on each connection) with a tenant's records, and
 * repairs what is safe: VM stages refreshed from ESC; a deployment ESC no longer holds (asked
 * again by its id) marked gone, its instance in Error if it was Active; orphans the tenant's own
 * records name deleted on ESC. On the shared default connection a tenant sees only those, never
 * other deployments of that ESC (another tenant's, another installation's, an operator's).
 */
@Injectable()
export class DriftCheck {
  private readonly logger = new Logger(DriftCheck.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly esc: EscClient,
    private readonly connections: EscConnections,
    private readonly instances: InstanceRepository,
  ) {}

  async report(tenantId: string): Promise<DriftReport> {
    const records = await this.recordsOf(tenantId);
    const names = [...new Set([DEFAULT_CONNECTION, ...records.map((r) => r.connectionName)])].sort();
    const connections = await Promise.all(names.map((name) => this.checkConnection(tenantId, name, records.filter((r) => r.connectionName === name))));
    return { checked_at: new Date().toISOString(), connections };
  }

  async repair(tenantId: string): Promise<DriftRepair> {
    const found = await this.report(tenantId);
    const repaired: DriftRepair['repaired'] = { vm_states_refreshed: 0, marked_gone: 0, orphans_deleted: [] };
    for (const c of found.connections) {
      if (c.error) continue;
      const target = await this.connections.resolve(tenantId, c.connection);
      for (const vm of c.vm_states) repaired.vm_states_refreshed += await this.refreshVm(vm.service_instance_id, vm.internal_deployment_id, vm.vm_name, vm.esc_stage);
      for (const m of c.missing) {
        // the list may be older than the record: ESC is asked for this one before it is marked gone
        const again = await this.askEsc(target, 'GET', m.internal_deployment_id);
        if (again === 404) repaired.marked_gone += await this.markGone(m.service_instance_id, m.internal_deployment_id, c.connection);
      }
      for (const o of c.orphans.filter((x) => x.deletable)) {
        const status = await this.askEsc(target, 'DELETE', o.internal_deployment_id);
        this.logger.warn({ connection: c.connection, internalId: o.internal_deployment_id, httpStatus: status }, 'drift repair: asked ESC to delete an orphan deployment of this tenant');
        repaired.orphans_deleted.push({ connection: c.connection, internal_deployment_id: o.internal_deployment_id, http_status: status });
      }
    }
    return { ...found, repaired };
  }

  private async checkConnection(tenantId: string, name: string, records: Array<RecordedDeployment & { connectionName: string }>): Promise<ConnectionDrift & { error?: string }> {
    let target: EscTarget;
    try {
      target = await this.connections.resolve(tenantId, name);
    } catch (e) {
      return { connection: name, orphans: [], missing: [], vm_states: [], error: (e as Error).message };
    }
    let answer;
    try {
      answer = await this.esc.call({ method: 'GET', path: '/v0/deployments' }, target);
    } catch (e) {
      return { connection: name, orphans: [], missing: [], vm_states: [], error: (e as Error).message };
    }
    if (answer.status !== 200) return { connection: name, orphans: [], missing: [], vm_states: [], error: `ESC answered HTTP ${answer.status} to GET /v0/deployments` };
    let listed: EscListedDeployment[];
    try {
      listed = parseDeploymentList(answer.body);
    } catch (e) {
      return { connection: name, orphans: [], missing: [], vm_states: [], error: `ESC's answer to GET /v0/deployments is not its XML: ${(e as Error).message}` };
    }
    const ids = listed.map((d) => d.internalId);
    const owners = await this.prisma.escResource.findMany({
      where: { internalId: { in: ids } },
      select: { internalId: true, status: true, serviceInstance: { select: { tenantId: true, name: true } } },
    });
    // ids given up for a fresh one after a lost answer (ESC may have made the first one late)
    const superseded = ids.length
      ? await this.prisma.$queryRaw<Array<{ id: string; tenant_id: string; name: string }>>`
          SELECT s.id, i.tenant_id, i.name FROM esc_resource r JOIN service_instance i ON i.id = r.service_instance_id,
                 jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.outputs->'superseded_internal_ids') = 'array' THEN r.outputs->'superseded_internal_ids' ELSE '[]'::jsonb END) AS s(id)
          WHERE s.id = ANY(${ids}::text[])`
      : [];
    const byId = new Map<string, Ownership>();
    for (const s of superseded) byId.set(s.id, { live: false, ofTenant: s.tenant_id === tenantId, instanceName: s.tenant_id === tenantId ? s.name : undefined });
    for (const o of owners) {
      const ofTenant = o.serviceInstance.tenantId === tenantId;
      byId.set(o.internalId, { live: o.status === 'Creating' || HELD_STATUSES.includes(o.status), ofTenant, instanceName: ofTenant ? o.serviceInstance.name : undefined });
    }
    return compareDeployments(name, listed, records, (id) => byId.get(id), name !== DEFAULT_CONNECTION);
  }

  /** ESC's HTTP status for one deployment request; 0 when ESC could not be asked (unreachable, circuit open): nothing is repaired then. */
  private async askEsc(target: EscTarget, method: 'GET' | 'DELETE', internalId: string): Promise<number> {
    try {
      return (await this.esc.call({ method, path: (stepKind('deployment') as EscStepKind).getPath({ internalId, escTenant: '' }) }, target)).status;
    } catch (e) {
      if (e instanceof EscUnreachableError) return 0;
      throw e;
    }
  }

  private async recordsOf(tenantId: string): Promise<Array<RecordedDeployment & { connectionName: string }>> {
    const rows = await this.prisma.escResource.findMany({
      where: { kind: 'deployment', status: { in: HELD_STATUSES }, serviceInstance: { tenantId } },
      select: { id: true, internalId: true, status: true, connectionName: true, serviceInstanceId: true, serviceInstance: { select: { name: true } }, vms: { select: { vmName: true, stage: true } } },
    });
    return rows.map((r) => ({ resourceId: r.id, internalId: r.internalId, status: r.status, connectionName: r.connectionName, serviceInstanceId: r.serviceInstanceId, instanceName: r.serviceInstance.name, vms: r.vms }));
  }

  private refreshVm(serviceInstanceId: string, internalId: string, vmName: string, stage: string | null): Promise<number> {
    return this.instances.withInstanceLock(serviceInstanceId, async (tx) => {
      const resource = await tx.escResource.findUnique({ where: { internalId }, select: { id: true } });
      if (!resource) return 0;
      if (stage === null) return (await tx.escVm.deleteMany({ where: { escResourceId: resource.id, vmName } })).count;
      return (await tx.escVm.updateMany({ where: { escResourceId: resource.id, vmName }, data: { stage, stageRank: vmStageRank(stage) } })).count;
    });
  }

  private markGone(serviceInstanceId: string, internalId: string, connection: string): Promise<number> {
    return this.instances.withInstanceLock(serviceInstanceId, async (tx, instance) => {
      const { count } = await tx.escResource.updateMany({ where: { internalId, status: { in: HELD_STATUSES } }, data: { status: 'Undeployed' } });
      if (count === 0) return 0;
      const status = instance.status === 'Active' ? 'Error' : instance.status;
      if (status !== instance.status) await tx.serviceInstance.update({ where: { id: serviceInstanceId }, data: { status } });
      await recordInstanceEvent(tx, { serviceInstanceId, type: 'state', data: { Status: status, drift: `ESC connection '${connection}' no longer holds deployment ${internalId}` } });
      this.logger.warn({ serviceInstanceId, internalId, connection }, 'drift repair: ESC no longer holds a deployment of this instance');
      return count;
    });
  }
}

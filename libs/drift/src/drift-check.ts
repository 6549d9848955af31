import { Injectable, Logger } from '@nestjs/common';
import { EscConnections } from '@cam-esc/connections';
import { DEFAULT_CONNECTION, EscClient, EscListedDeployment, EscTarget, EscUnreachableError, parseDeploymentList, vmStageRank } from '@cam-esc/esc';
import { EscStepKind, stepKind } from '@cam-esc/flow';
import { InstanceRepository, PrismaService } from '@cam-esc/persistence';
import { compareDeployments, ConnectionDrift, HELD_STATUSES, RecordedDeployment } from './compare';
import { markResourceGone, ownershipOf } from './records';
import { RecordedResource } from './resource-drift';
import { ResourceDriftCheck, ResourcesDrift, ResourcesRepaired } from './resource-drift-check';

export interface DriftReport {
  checked_at: string;
  /** One entry per ESC connection looked at; `error` when ESC could not be asked. */
  connections: Array<ConnectionDrift & { resources: ResourcesDrift; error?: string }>;
}

export interface DriftRepair extends DriftReport {
  repaired: {
    vm_states_refreshed: number;
    marked_gone: number;
    orphans_deleted: Array<{ connection: string; internal_deployment_id: string; http_status: number }>;
    /** The same for tenants, networks, subnets, images, flavors and volumes. */
    resources: { marked_gone: number; orphans_deleted: Array<ResourcesRepaired['orphans_deleted'][number] & { connection: string }> };
  };
}

/**
 * Compares what ESC holds (GET /v0/deployments on each connection, and the lists of the other
 * resources the tenant's records have there: ResourceDriftCheck) with a tenant's records, and
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
    private readonly resources: ResourceDriftCheck,
  ) {}

  async report(tenantId: string): Promise<DriftReport> {
    const records = await this.recordsOf(tenantId);
    const resources = await this.resources.recordsOf(tenantId);
    const names = [...new Set([DEFAULT_CONNECTION, ...records.map((r) => r.connectionName), ...resources.map((r) => r.connectionName)])].sort();
    const connections = await Promise.all(
      names.map((name) => this.checkConnection(tenantId, name, records.filter((r) => r.connectionName === name), resources.filter((r) => r.connectionName === name))),
    );
    return { checked_at: new Date().toISOString(), connections };
  }

  async repair(tenantId: string): Promise<DriftRepair> {
    const found = await this.report(tenantId);
    const repaired: DriftRepair['repaired'] = { vm_states_refreshed: 0, marked_gone: 0, orphans_deleted: [], resources: { marked_gone: 0, orphans_deleted: [] } };
    for (const c of found.connections) {
      if (c.error) continue;
      const target = await this.connections.resolve(tenantId, c.connection);
      const other = await this.resources.repair(c.connection, target, c.resources);
      repaired.resources.marked_gone += other.marked_gone;
      repaired.resources.orphans_deleted.push(...other.orphans_deleted.map((o) => ({ connection: c.connection, ...o })));
      for (const vm of c.vm_states) repaired.vm_states_refreshed += await this.refreshVm(vm.service_instance_id, vm.internal_deployment_id, vm.vm_name, vm.esc_stage);
      for (const m of c.missing) {
        // the list may be older than the record: ESC is asked for this one before it is marked gone
        const again = await this.askEsc(target, 'GET', m.internal_deployment_id);
        if (again === 404) repaired.marked_gone += await markResourceGone(this.instances, m.service_instance_id, m.internal_deployment_id, 'deployment', c.connection);
      }
      for (const o of c.orphans.filter((x) => x.deletable)) {
        const status = await this.askEsc(target, 'DELETE', o.internal_deployment_id);
        this.logger.warn({ connection: c.connection, internalId: o.internal_deployment_id, httpStatus: status }, 'drift repair: asked ESC to delete an orphan deployment of this tenant');
        repaired.orphans_deleted.push({ connection: c.connection, internal_deployment_id: o.internal_deployment_id, http_status: status });
      }
    }
    return { ...found, repaired };
  }

  private async checkConnection(
    tenantId: string,
    name: string,
    records: Array<RecordedDeployment & { connectionName: string }>,
    resources: RecordedResource[],
  ): Promise<DriftReport['connections'][number]> {
    const nothing = (error: string) => ({ connection: name, orphans: [], missing: [], vm_states: [], resources: { orphans: [], missing: [], errors: [] }, error });
    let target: EscTarget;
    try {
      target = await this.connections.resolve(tenantId, name);
    } catch (e) {
      return nothing((e as Error).message);
    }
    let answer;
    try {
      answer = await this.esc.call({ method: 'GET', path: '/v0/deployments' }, target);
    } catch (e) {
      return nothing((e as Error).message);
    }
    if (answer.status !== 200) return nothing(`ESC answered HTTP ${answer.status} to GET /v0/deployments`);
    let listed: EscListedDeployment[];
    try {
      listed = parseDeploymentList(answer.body);
    } catch (e) {
      return nothing(`ESC's answer to GET /v0/deployments is not its XML: ${(e as Error).message}`);
    }
    const owners = await ownershipOf(this.prisma, tenantId, listed.map((d) => d.internalId));
    const tenantsOwn = name !== DEFAULT_CONNECTION;
    const deployments = compareDeployments(name, listed, records, (id) => owners.get(id), tenantsOwn);
    return { ...deployments, resources: await this.resources.check(tenantId, target, resources, tenantsOwn) };
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
}

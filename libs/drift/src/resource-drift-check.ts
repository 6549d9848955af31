import { Injectable, Logger } from '@nestjs/common';
import { EscClient, EscListedResource, EscTarget, EscUnreachableError, parseResourceList } from '@cam-esc/esc';
import { EscStepKind, stepKind } from '@cam-esc/flow';
import { InstanceRepository, PrismaService } from '@cam-esc/persistence';
import { markResourceGone, ownershipOf } from './records';
import { compareResourceList, RecordedResource, ResourceMissing, ResourceOrphan } from './resource-drift';

/** The resources other than deployments, on one connection. */
export interface ResourcesDrift {
  orphans: ResourceOrphan[];
  missing: ResourceMissing[];
  /** Lists ESC could not give (unreachable, an error, an answer the gateway cannot read). */
  errors: string[];
}

export interface ResourcesRepaired {
  marked_gone: number;
  orphans_deleted: Array<{ kind: string; internal_id: string; http_status: number }>;
}

/**
 * The drift of tenants, networks, subnets, images, flavors and volumes: for each kind a tenant's
 * records have on a connection, ESC's list of it (per ESC tenant for kinds that live in one),
 * compared with those records; repaired like deployments (a resource ESC no longer holds, asked
 * again by its id, is marked gone; orphans the tenant's records name are deleted on ESC).
 */
@Injectable()
export class ResourceDriftCheck {
  private readonly logger = new Logger(ResourceDriftCheck.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly esc: EscClient,
    private readonly instances: InstanceRepository,
  ) {}

  /** Every resource but deployments of the tenant's instances, whatever its status (gone ones make orphans theirs). */
  async recordsOf(tenantId: string): Promise<Array<RecordedResource & { connectionName: string }>> {
    const rows = await this.prisma.escResource.findMany({
      where: { kind: { not: 'deployment' }, serviceInstance: { tenantId } },
      select: { id: true, kind: true, internalId: true, escTenant: true, status: true, connectionName: true, serviceInstanceId: true, serviceInstance: { select: { name: true } } },
    });
    return rows.flatMap((r) => {
      const kind = stepKind(r.kind);
      if (kind.transport !== 'esc' || !kind.listPath) return [];
      return [{ resourceId: r.id, kind: r.kind, internalId: r.internalId, escTenant: r.escTenant, status: r.status, connectionName: r.connectionName, serviceInstanceId: r.serviceInstanceId, instanceName: r.serviceInstance.name }];
    });
  }

  async check(tenantId: string, target: EscTarget, records: RecordedResource[], tenantsOwn: boolean): Promise<ResourcesDrift> {
    // one list per kind, and per ESC tenant for the kinds that live in one
    const lists = new Map<string, { kind: string; escTenant?: string; records: RecordedResource[] }>();
    for (const r of records) {
      const path = (stepKind(r.kind) as EscStepKind).listPath!(r.escTenant);
      const list = lists.get(path) ?? { kind: r.kind, escTenant: path.startsWith(`/v0/${r.escTenant}/`) ? r.escTenant : undefined, records: [] };
      list.records.push(r);
      lists.set(path, list);
    }
    const drift: ResourcesDrift = { orphans: [], missing: [], errors: [] };
    const read: Array<{ kind: string; escTenant?: string; records: RecordedResource[]; listed: EscListedResource[] }> = [];
    for (const [path, list] of [...lists].sort(([a], [b]) => a.localeCompare(b))) {
      try {
        const answer = await this.esc.call({ method: 'GET', path }, target);
        // a tenant ESC no longer has lists nothing in it
        if (answer.status === 404) read.push({ ...list, listed: [] });
        else if (answer.status !== 200) drift.errors.push(`ESC answered HTTP ${answer.status} to GET ${path}`);
        else read.push({ ...list, listed: parseResourceList(answer.body, list.kind) });
      } catch (e) {
        drift.errors.push(e instanceof EscUnreachableError ? `ESC did not answer GET ${path}: ${e.message}` : `ESC's answer to GET ${path} is not one the gateway can read: ${(e as Error).message}`);
      }
    }
    const owners = await ownershipOf(this.prisma, tenantId, read.flatMap((l) => l.listed.map((r) => r.internalId)));
    for (const l of read) {
      const found = compareResourceList(l.kind, l.escTenant, l.listed, l.records, (id) => owners.get(id), tenantsOwn);
      drift.orphans.push(...found.orphans);
      drift.missing.push(...found.missing);
    }
    return drift;
  }

  async repair(connection: string, target: EscTarget, found: ResourcesDrift): Promise<ResourcesRepaired> {
    const repaired: ResourcesRepaired = { marked_gone: 0, orphans_deleted: [] };
    for (const m of found.missing) {
      // the list may be older than the record: ESC is asked for this one before it is marked gone
      const path = (stepKind(m.kind) as EscStepKind).getPath({ internalId: m.internal_id, escTenant: m.esc_tenant ?? '' });
      if ((await this.ask(target, 'GET', path)) === 404) repaired.marked_gone += await markResourceGone(this.instances, m.service_instance_id, m.internal_id, m.kind, connection);
    }
    for (const o of found.orphans.filter((x) => x.deletable)) {
      const request = (stepKind(o.kind) as EscStepKind).deleteRequest({ internalId: o.internal_id, escTenant: o.esc_tenant ?? '' });
      if (!request) continue;
      const status = await this.ask(target, 'DELETE', request.path);
      this.logger.warn({ connection, kind: o.kind, internalId: o.internal_id, httpStatus: status }, `drift repair: asked ESC to delete an orphan ${o.kind} of this tenant`);
      repaired.orphans_deleted.push({ kind: o.kind, internal_id: o.internal_id, http_status: status });
    }
    return repaired;
  }

  /** ESC's HTTP status; 0 when ESC could not be asked (nothing is repaired then). */
  private async ask(target: EscTarget, method: 'GET' | 'DELETE', path: string): Promise<number> {
    try {
      return (await this.esc.call({ method, path }, target)).status;
    } catch (e) {
      if (e instanceof EscUnreachableError) return 0;
      throw e;
    }
  }
}

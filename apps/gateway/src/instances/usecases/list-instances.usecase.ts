import { Injectable } from '@nestjs/common';
import { InstanceStatus } from '@cam-esc/instances';
import { InstanceRepository, InstanceSummary } from '@cam-esc/persistence';
import { encodeCursor, ListFilter, ListSpec } from '../../common/list-filter';

type OrderField = 'createdAt' | 'updatedAt' | 'name';
type WhereField = 'name' | 'status' | 'owner' | 'serviceId';

export const INSTANCE_LIST: ListSpec<OrderField, WhereField> = {
  order: { creationTime: 'createdAt', ordered_time: 'createdAt', updated_time: 'updatedAt', lastUpdated: 'updatedAt', name: 'name' },
  defaultOrder: { field: 'createdAt', direction: 'desc' },
  where: { name: 'name', Status: 'status', status: 'status', owner: 'owner', serviceId: 'serviceId' },
  whereValues: { status: Object.values(InstanceStatus) },
  patterns: ['name'],
};

/** One instance in a list: what a portal's table shows. The whole record (logs, ESC resources, manifest) is GET …/{id}. */
export function toInstanceSummary(i: InstanceSummary) {
  return {
    name: i.name,
    Status: i.status,
    id: i.id,
    owner: i.owner,
    serviceId: i.serviceId,
    serviceManifestId: i.serviceVersionId,
    catalogItemName: i.serviceVersion.service.name,
    version: i.serviceVersion.version,
    instance_plan: i.plan,
    instance_plan_id: i.planId,
    namespaceId: i.namespaceId,
    tenantId: i.tenantId,
    ordered_time: i.createdAt.toISOString(),
    updated_time: i.updatedAt.toISOString(),
    ...(i.activeAt ? { active_time: i.activeAt.toISOString() } : {}),
    current_action_instance_id: i.currentActionInstanceId,
    last_action: i.actions[0] ? { name: i.actions[0].name, type: i.actions[0].type, status: i.actions[0].status } : null,
  };
}

/** GET ServiceInstances: a page of summaries (limit, skip, order, where, keyset cursor), never whole records. */
@Injectable()
export class ListInstancesUseCase {
  constructor(private readonly instances: InstanceRepository) {}

  async execute(tenantId: string, filter: ListFilter<OrderField, WhereField>) {
    const page = await this.instances.listSummaries({ tenantId, where: filter.where, namePattern: filter.patterns.name, order: filter.order, limit: filter.limit, skip: filter.skip, after: filter.after });
    const last = page[page.length - 1];
    return {
      entries: page.map(toInstanceSummary),
      nextCursor: page.length === filter.limit && last ? encodeCursor(filter.order, last[filter.order.field], last.id) : undefined,
    };
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ActionStatus, EscResourceStatus, InstanceStatus } from '@cam-esc/instances';
import { EscConnectionRepository } from '@cam-esc/persistence';

/** An instance uses a connection until it is Terminated, or its resources there are undeployed (or were never made). */
const ENDED_USE = { instanceStatus: InstanceStatus.Terminated, resourceStatuses: [EscResourceStatus.Undeployed, EscResourceStatus.Rejected] };

@Injectable()
export class ConnectionUsers {
  constructor(private readonly connections: EscConnectionRepository) {}

  /** 409 naming the live instances with resources (or running steps) on the connection, when there are any. */
  async refuseWhileInUse(tenantId: string, name: string, what: string): Promise<void> {
    // resources made there, and steps of running actions still to make them
    const made = await this.connections.liveInstancesUsing(tenantId, name, ENDED_USE, 6);
    const planned = await this.connections.instancesPlanningOn(tenantId, name, [ActionStatus.Queued, ActionStatus.Submitted, ActionStatus.InProgress], 6);
    const instances = [...new Set([...made, ...planned])];
    if (instances.length === 0) return;
    const named = instances.slice(0, 5).join(', ') + (instances.length > 5 ? ', ...' : '');
    throw DomainException.conflict(`ESC connection '${name}' is in use by live instance(s) ${named}: terminate them before you ${what} it`);
  }
}

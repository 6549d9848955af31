import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { EscResourceStatus, InstanceStatus } from '@cam-esc/instances';
import { EscConnectionRepository } from '@cam-esc/persistence';

/** An instance uses a connection until it is Terminated, or its resources there are undeployed (or were never made). */
const ENDED_USE = { instanceStatus: InstanceStatus.Terminated, resourceStatuses: [EscResourceStatus.Undeployed, EscResourceStatus.Rejected] };

@Injectable()
export class ConnectionUsers {
  constructor(private readonly connections: EscConnectionRepository) {}

  /** 409 naming the live instances with resources on the connection, when there are any. */
  async refuseWhileInUse(tenantId: string, name: string, what: string): Promise<void> {
    const instances = await this.connections.liveInstancesUsing(tenantId, name, ENDED_USE, 6);
    if (instances.length === 0) return;
    const named = instances.slice(0, 5).join(', ') + (instances.length > 5 ? ', ...' : '');
    throw DomainException.conflict(`ESC connection '${name}' is in use by live instance(s) ${named}: terminate them before you ${what} it`);
  }
}

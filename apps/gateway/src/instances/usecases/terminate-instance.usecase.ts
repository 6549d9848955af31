import { Injectable } from '@nestjs/common';
import { ActionMode, ActionType, InstanceStatus } from '@cam-esc/instances';
import { ServiceInstance } from '@cam-esc/persistence';
import { InstanceActionStarter } from '../lifecycle/instance-action-starter';

/** Starts the terminate action: the worker deletes the instance's ESC resources in reverse order. */
@Injectable()
export class TerminateInstanceUseCase {
  constructor(private readonly starter: InstanceActionStarter) {}

  async execute(tenantId: string, instanceId: string): Promise<ServiceInstance> {
    const { instance } = await this.starter.start({
      tenantId,
      instanceId,
      action: { name: 'terminate', type: ActionType.Terminate, parameters: {}, securedNames: [], log: '', details: { mode: ActionMode.Terminate } },
      status: InstanceStatus.Terminating,
      allowedFrom: [InstanceStatus.Active, InstanceStatus.Error],
      call: 'terminate',
    });
    return instance;
  }
}

import { Injectable } from '@nestjs/common';
import { ActionMode, ActionType, InstanceStatus } from '@cam-esc/instances';
import { BatchTurn, ServiceInstance } from '@cam-esc/persistence';
import { InstanceActionStarter } from '../lifecycle/instance-action-starter';
import { knownFields } from '../lifecycle/instance-values';

/** Starts the terminate action: the worker deletes the instance's ESC resources in reverse order. */
@Injectable()
export class TerminateInstanceUseCase {
  constructor(private readonly starter: InstanceActionStarter) {}

  /** `body`: CAM's service__instance_terminate.json is `{}`; a field it does not take is a 400. */
  /** `turn`: a batch's terminate, which waits for the batch to start it. */
  async execute(tenantId: string, instanceId: string, body?: unknown, turn?: BatchTurn): Promise<ServiceInstance> {
    knownFields(body, [], 'body');
    const { instance } = await this.starter.start({
      tenantId,
      instanceId,
      action: { name: 'terminate', type: ActionType.Terminate, parameters: {}, securedNames: [], log: '', details: { mode: ActionMode.Terminate } },
      status: InstanceStatus.Terminating,
      allowedFrom: [InstanceStatus.Active, InstanceStatus.Error],
      call: 'terminate',
      turn,
    });
    return instance;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { ActionStatus, ActionType, BUSY_INSTANCE_STATUSES, InstanceStatus } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { InstanceRepository, ServiceInstance } from '@cam-esc/persistence';
import { randomUUID } from 'node:crypto';

/** Starts the terminate action: the worker deletes the instance's ESC resources in reverse order. */
@Injectable()
export class TerminateInstanceUseCase {
  private readonly logger = new Logger(TerminateInstanceUseCase.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly jobs: JobQueue,
  ) {}

  async execute(tenantId: string, instanceId: string): Promise<ServiceInstance> {
    const existing = await this.instances.findDetails(tenantId, instanceId);
    if (!existing) throw DomainException.notFound('service instance', instanceId);
    const actionId = randomUUID();
    let previous: Pick<ServiceInstance, 'status' | 'currentActionInstanceId'> = existing;
    const instance = await this.instances.startAction(
      instanceId,
      (current) => {
        previous = current;
        if (BUSY_INSTANCE_STATUSES.includes(current.status)) {
          throw DomainException.conflict(`service instance '${current.name}' is ${current.status}: an action is running; wait for it to end before terminating`);
        }
        if (current.status === InstanceStatus.Terminated) throw DomainException.conflict(`service instance '${current.name}' is already terminated`);
      },
      { id: actionId, name: 'terminate', type: ActionType.Terminate, status: ActionStatus.Submitted, parameters: {}, securedNames: [], log: '' },
      InstanceStatus.Terminating,
    );
    try {
      await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: actionId, serviceInstanceId: instanceId, trigger: 'start' });
    } catch (e) {
      // nothing half-done: the instance goes back to how it was
      await this.instances.abandonAction(instanceId, actionId, previous);
      this.logger.error({ serviceInstanceId: instanceId, err: e }, 'could not enqueue the terminate; undone');
      throw new DomainException(DomainErrorCode.UNAVAILABLE, 'the job queue is not reachable; nothing was terminated, try again');
    }
    this.logger.log({ serviceInstanceId: instanceId, actionInstanceId: actionId }, 'terminate submitted');
    return instance;
  }
}

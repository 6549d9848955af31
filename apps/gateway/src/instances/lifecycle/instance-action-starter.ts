import { Injectable, Logger } from '@nestjs/common';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { ActionStatus, InstanceStatus } from '@cam-esc/instances';
import { JobName, JobQueue } from '@cam-esc/jobs';
import { ActionInstance, InstanceRepository, NewAction, Prisma, ServiceInstance } from '@cam-esc/persistence';
import { randomUUID } from 'node:crypto';

const RUNNING: string[] = [ActionStatus.Submitted, ActionStatus.InProgress];

export interface StartActionCommand {
  tenantId: string;
  instanceId: string;
  /** The action instance to make (its id is chosen here). */
  action: Omit<NewAction, 'status'>;
  /** The instance's Status while it runs. */
  status: InstanceStatus;
  /** Which instance Status values the call takes (besides the rule that nothing may be running). */
  allowedFrom: readonly InstanceStatus[];
  /** What the call is, for messages: "update", "retry", "invokeCustomAction", ... */
  call: string;
}

/**
 * Starts an action on an instance for every mutating call: under the instance's lock it refuses
 * (409, naming the running action) while another action runs, refuses a state the call does not
 * take, writes the action instance, and queues its run; should the queue be down, the instance
 * goes back to how it was and nothing stays behind.
 */
@Injectable()
export class InstanceActionStarter {
  private readonly logger = new Logger(InstanceActionStarter.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly jobs: JobQueue,
  ) {}

  async start(cmd: StartActionCommand): Promise<{ instance: ServiceInstance; actionId: string }> {
    const actionId = randomUUID();
    const details: Record<string, unknown> = { ...((cmd.action.details ?? {}) as object) };
    const action = { ...cmd.action, id: actionId, status: ActionStatus.Submitted, details: details as Prisma.InputJsonValue };
    let previous: Pick<ServiceInstance, 'status' | 'currentActionInstanceId'> | undefined;
    const instance = await this.instances.startAction(
      cmd.instanceId,
      (current, running) => {
        if (current.tenantId !== cmd.tenantId) throw DomainException.notFound('service instance', cmd.instanceId);
        previous = current;
        // read under the lock, written with the action: what a custom flow or an ESC operation leaves the Status at
        details.statusBefore = current.status;
        assertIdle(current, running);
        if (!cmd.allowedFrom.includes(current.status as InstanceStatus)) {
          throw DomainException.conflict(`service instance '${current.name}' is ${current.status}: ${cmd.call} takes an instance that is ${cmd.allowedFrom.join(' or ')}`);
        }
      },
      action,
      cmd.status,
    );
    try {
      await this.jobs.enqueue(JobName.RunAction, { actionInstanceId: actionId, serviceInstanceId: cmd.instanceId, trigger: 'start' });
    } catch (e) {
      // nothing half-done: the instance goes back to how it was
      await this.instances.abandonAction(cmd.instanceId, actionId, previous!);
      this.logger.error({ serviceInstanceId: cmd.instanceId, err: e }, `could not enqueue ${cmd.call}; undone`);
      throw new DomainException(DomainErrorCode.UNAVAILABLE, `the job queue is not reachable; ${cmd.call} was not started, try again`);
    }
    this.logger.log({ serviceInstanceId: cmd.instanceId, actionInstanceId: actionId }, `${cmd.call} submitted (${cmd.action.name})`);
    return { instance, actionId };
  }
}

/** One action at a time: a 409 that names the action still running. */
export function assertIdle(instance: Pick<ServiceInstance, 'name' | 'status'>, running: Pick<ActionInstance, 'id' | 'name' | 'status'> | null): void {
  if (running && RUNNING.includes(running.status)) {
    throw DomainException.conflict(
      `service instance '${instance.name}' is running action '${running.name}' (${running.status}, action instance ${running.id}); wait for it to end`,
    );
  }
  if (instance.status === InstanceStatus.Terminated) throw DomainException.conflict(`service instance '${instance.name}' is terminated`);
}

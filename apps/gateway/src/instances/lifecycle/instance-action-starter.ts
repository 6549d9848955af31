import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ActionStatus, InstanceStatus } from '@cam-esc/instances';
import { JobName, OutboxRelay, outboxEntry } from '@cam-esc/jobs';
import { ActionInstance, BatchTurn, InstanceRepository, NewAction, Prisma, ServiceInstance } from '@cam-esc/persistence';
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
  /** For a batch (its retry, its terminate): the action waits (Queued) for the batch to start it. */
  turn?: BatchTurn;
}

/**
 * Starts an action on an instance for every mutating call: under the instance's lock it refuses
 * (409, naming the running action) while another action runs, refuses a state the call does not
 * take, and writes the action instance with the job that runs it (an outbox row), which is
 * queued after the commit, by this gateway or, should it die or the queue store be down, by a worker.
 */
@Injectable()
export class InstanceActionStarter {
  private readonly logger = new Logger(InstanceActionStarter.name);

  constructor(
    private readonly instances: InstanceRepository,
    private readonly outbox: OutboxRelay,
  ) {}

  async start(cmd: StartActionCommand): Promise<{ instance: ServiceInstance; actionId: string }> {
    const actionId = randomUUID();
    const details: Record<string, unknown> = { ...((cmd.action.details ?? {}) as object) };
    const action = { ...cmd.action, id: actionId, status: cmd.turn ? ActionStatus.Queued : ActionStatus.Submitted, details: details as Prisma.InputJsonValue };
    const job = outboxEntry(JobName.RunAction, { actionInstanceId: actionId, serviceInstanceId: cmd.instanceId, trigger: 'start' });
    const { instance, outboxId } = await this.instances.startAction(
      cmd.instanceId,
      (current, running) => {
        if (current.tenantId !== cmd.tenantId) throw DomainException.notFound('service instance', cmd.instanceId);
        // read under the lock, written with the action: what a custom flow or an ESC operation leaves the Status at
        details.statusBefore = current.status;
        assertIdle(current, running);
        if (!cmd.allowedFrom.includes(current.status as InstanceStatus)) {
          throw DomainException.conflict(`service instance '${current.name}' is ${current.status}: ${cmd.call} takes an instance that is ${cmd.allowedFrom.join(' or ')}`);
        }
      },
      action,
      cmd.status,
      cmd.turn ? { turn: cmd.turn } : { job },
    );
    if (outboxId !== undefined) this.outbox.relaySoon(outboxId, job);
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

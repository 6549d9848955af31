import { Injectable, Logger } from '@nestjs/common';
import { ActionStatus } from '@cam-esc/instances';
import { JobName, OutboxRelay, outboxEntry } from '@cam-esc/jobs';
import { InstanceDetails } from '@cam-esc/persistence';
import { DeployInstanceCommand, DeploySubmission } from './deploy-submission';

export type { DeployInstanceCommand } from './deploy-submission';

/**
 * Validates a deploy completely before anything is written (DeployPreparation), then stores the
 * instance and its Provision action with the planned steps and hands the run to the worker.
 */
@Injectable()
export class DeployInstanceUseCase {
  private readonly logger = new Logger(DeployInstanceUseCase.name);

  constructor(
    private readonly submission: DeploySubmission,
    private readonly outbox: OutboxRelay,
  ) {}

  async execute(cmd: DeployInstanceCommand): Promise<InstanceDetails> {
    const built = await this.submission.build(cmd, ActionStatus.Submitted);
    const job = outboxEntry(JobName.RunAction, { actionInstanceId: built.action.id, serviceInstanceId: built.instanceId, trigger: 'start' });
    // the instance, its action and the job that runs it, committed together; the answer shows the instance as submitted, whatever the worker does next
    const { instance, outboxId } = await this.submission.write(built, job);
    this.outbox.relaySoon(outboxId!, job);
    this.logger.log({ serviceInstanceId: built.instanceId, actionInstanceId: built.action.id }, `instance '${cmd.body.name}' submitted`);
    return instance;
  }
}


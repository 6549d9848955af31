import { Injectable } from '@nestjs/common';
import { ActionMode } from '@cam-esc/instances';
import { FailedActionRerun } from '../lifecycle/failed-action-rerun';
import { startedAnswer } from './started-answer';

/** POST ServiceInstances/{id}/retry: the failed action again from its start (retry_details: is_partial, instance_parameters). */
@Injectable()
export class RetryInstanceUseCase {
  constructor(private readonly rerun: FailedActionRerun) {}

  async execute(tenantId: string, id: string, body: unknown) {
    const { started, name } = await this.rerun.start(tenantId, id, body, ActionMode.Retry);
    return startedAnswer(started, name);
  }
}

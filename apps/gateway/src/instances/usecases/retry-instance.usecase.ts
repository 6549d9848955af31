import { Injectable } from '@nestjs/common';
import { ActionMode } from '@cam-esc/instances';
import { BatchTurn } from '@cam-esc/persistence';
import { FailedActionRerun } from '../lifecycle/failed-action-rerun';
import { startedAnswer } from './started-answer';

/** POST ServiceInstances/{id}/retry: the failed action again from its start (retry_details: is_partial, instance_parameters). */
@Injectable()
export class RetryInstanceUseCase {
  constructor(private readonly rerun: FailedActionRerun) {}

  /** `turn`: a batch's retry, which waits for the batch to start it. */
  async execute(tenantId: string, id: string, body: unknown, turn?: BatchTurn) {
    const { started, name } = await this.rerun.start(tenantId, id, body, ActionMode.Retry, turn);
    return startedAnswer(started, name);
  }
}

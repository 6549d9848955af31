import { Injectable } from '@nestjs/common';
import { ActionMode } from '@cam-esc/instances';
import { FailedActionRerun } from '../lifecycle/failed-action-rerun';
import { startedAnswer } from './started-answer';

/** POST ServiceInstances/{id}/resume: the failed action from its failed step, completed steps skipped (resume_details). */
@Injectable()
export class ResumeInstanceUseCase {
  constructor(private readonly rerun: FailedActionRerun) {}

  async execute(tenantId: string, id: string, body: unknown) {
    const { started, name } = await this.rerun.start(tenantId, id, body, ActionMode.Resume);
    return startedAnswer(started, name);
  }
}

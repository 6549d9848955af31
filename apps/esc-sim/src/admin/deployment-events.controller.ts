import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { DeploymentEventsService, TriggeredEvent } from '../deployments/events/deployment-events.service';

/** Makes ESC "see" a VM event (down, alive, recovery, scale out/in) on a deployment, outside any request. */
@Controller('_sim/deployments')
export class DeploymentEventsController {
  constructor(private readonly events: DeploymentEventsService) {}

  @Post(':internalId/events')
  @HttpCode(202)
  trigger(@Param('internalId') internalId: string, @Body() body: unknown): TriggeredEvent {
    return this.events.trigger(internalId, body);
  }
}

import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CallbackLog } from '../callbacks/callback-log';
import { DeploymentsService } from '../deployments/deployments.service';
import { FaultsService } from '../faults/faults.service';
import { RequestLog } from '../requests-log/request-log';
import { ResourcesService } from '../resources/resources.service';

@Controller('_sim')
export class AdminController {
  constructor(
    private readonly deployments: DeploymentsService,
    private readonly resources: ResourcesService,
    private readonly faults: FaultsService,
    private readonly requests: RequestLog,
    private readonly callbacks: CallbackLog,
  ) {}

  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Back to a fresh simulator: no deployments or other resources (nor burnt ids), faults, logs or pending callbacks. */
  @Post('reset')
  @HttpCode(204)
  async reset(): Promise<void> {
    await this.deployments.reset();
    await this.resources.reset();
    this.faults.clear();
    this.requests.clear();
    this.callbacks.clear();
  }
}

import { Injectable } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { EscConnectionRepository } from '@cam-esc/persistence';
import { builtinConnectionView, ConnectionView, toConnectionView } from '../connection.view';

/** The built-in `default` connection first, then the tenant's by name. */
@Injectable()
export class ListConnectionsUseCase {
  constructor(
    private readonly config: AppConfig,
    private readonly connections: EscConnectionRepository,
  ) {}

  async execute(tenantId: string): Promise<ConnectionView[]> {
    return [builtinConnectionView(this.config.esc), ...(await this.connections.list(tenantId)).map(toConnectionView)];
  }
}

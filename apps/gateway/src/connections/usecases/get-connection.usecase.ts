import { Injectable } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { DomainException } from '@cam-esc/errors';
import { DEFAULT_CONNECTION } from '@cam-esc/esc';
import { EscConnectionRepository } from '@cam-esc/persistence';
import { builtinConnectionView, ConnectionView, toConnectionView } from '../connection.view';

@Injectable()
export class GetConnectionUseCase {
  constructor(
    private readonly config: AppConfig,
    private readonly connections: EscConnectionRepository,
  ) {}

  async execute(tenantId: string, id: string): Promise<ConnectionView> {
    if (id === DEFAULT_CONNECTION) return builtinConnectionView(this.config.esc);
    const row = await this.connections.findById(tenantId, id);
    if (!row) throw DomainException.notFound('ESC connection', id);
    return toConnectionView(row);
  }
}

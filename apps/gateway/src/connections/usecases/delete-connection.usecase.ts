import { Injectable } from '@nestjs/common';
import { EscConnections } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';
import { DEFAULT_CONNECTION } from '@cam-esc/esc';
import { EscConnectionRepository } from '@cam-esc/persistence';
import { builtinIsReadOnly } from '../connection-id.pipe';
import { ConnectionUsers } from './connection-users';

@Injectable()
export class DeleteConnectionUseCase {
  constructor(
    private readonly connections: EscConnectionRepository,
    private readonly users: ConnectionUsers,
    private readonly resolved: EscConnections,
  ) {}

  async execute(tenantId: string, id: string): Promise<void> {
    if (id === DEFAULT_CONNECTION) throw builtinIsReadOnly();
    const row = await this.connections.findById(tenantId, id);
    if (!row) throw DomainException.notFound('ESC connection', id);
    await this.users.refuseWhileInUse(tenantId, row.name, 'delete');
    await this.connections.delete(tenantId, row.id);
    this.resolved.forget(tenantId, row.name);
  }
}

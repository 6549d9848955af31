import { AppConfig } from '@cam-esc/config';
import { OutboundPolicy } from '@cam-esc/outbound';
import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { EscConnectionRepository } from '@cam-esc/persistence';
import { SecretBox } from '@cam-esc/secrets';
import { ConnectionInput, connectionFields } from '../connection-fields';
import { toConnectionView } from '../connection.view';

export interface CreateConnectionCommand extends ConnectionInput {
  tenantId: string;
  password?: string | null;
}

@Injectable()
export class CreateConnectionUseCase {
  private readonly outbound: OutboundPolicy;

  constructor(
    private readonly connections: EscConnectionRepository,
    private readonly box: SecretBox,
    config: AppConfig,
  ) {
    this.outbound = new OutboundPolicy(config.outboundAllow);
  }

  async execute({ tenantId, password, ...input }: CreateConnectionCommand) {
    const fields = connectionFields(input, this.outbound);
    if (await this.connections.findByName(tenantId, fields.name)) throw DomainException.conflict(`ESC connection '${fields.name}' already exists`);
    const row = await this.connections.create(tenantId, { ...fields, passwordSealed: password ? this.box.seal(password) : null });
    return toConnectionView(row);
  }
}

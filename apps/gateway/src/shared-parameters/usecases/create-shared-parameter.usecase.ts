import { Injectable } from '@nestjs/common';
import { SharedParameters } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';
import { SharedParameterRepository } from '@cam-esc/persistence';
import { settledValues } from '../shared-parameter-values';
import { toSharedParameterView } from '../shared-parameter.view';

export interface CreateSharedParameterCommand {
  tenantId: string;
  name: string;
  datatype: string;
  values: Record<string, unknown>;
  securedKeys?: string[];
}

@Injectable()
export class CreateSharedParameterUseCase {
  constructor(
    private readonly parameters: SharedParameterRepository,
    private readonly shared: SharedParameters,
  ) {}

  async execute(cmd: CreateSharedParameterCommand) {
    const { values, securedKeys } = settledValues(cmd.values, cmd.securedKeys ?? []);
    if (await this.parameters.findByName(cmd.tenantId, cmd.name)) throw DomainException.conflict(`shared parameter '${cmd.name}' already exists`);
    const row = await this.parameters.create(cmd.tenantId, { name: cmd.name, datatype: cmd.datatype, values: this.shared.seal(values, securedKeys), securedKeys });
    return toSharedParameterView(row);
  }
}

import { Injectable } from '@nestjs/common';
import { SharedParameters } from '@cam-esc/connections';
import { DomainException } from '@cam-esc/errors';
import { SharedParameterRepository } from '@cam-esc/persistence';
import { SECURED_MASK, settledValues } from '../shared-parameter-values';
import { toSharedParameterView } from '../shared-parameter.view';

export interface UpdateSharedParameterCommand {
  tenantId: string;
  id: string;
  name?: string;
  datatype?: string;
  /** Replaces all the values; a secured one sent as the mask keeps what is stored. */
  values?: Record<string, unknown>;
  /** Omitted: the secured keys that are still among the values. */
  securedKeys?: string[];
}

@Injectable()
export class UpdateSharedParameterUseCase {
  constructor(
    private readonly parameters: SharedParameterRepository,
    private readonly shared: SharedParameters,
  ) {}

  async execute(cmd: UpdateSharedParameterCommand) {
    const row = await this.parameters.findById(cmd.tenantId, cmd.id);
    if (!row) throw DomainException.notFound('shared parameter', cmd.id);
    // the stored secrets are opened only when needed, so new values can replace ones sealed under a lost key
    const keepsStored = cmd.values === undefined || Object.values(cmd.values).includes(SECURED_MASK);
    const previous = keepsStored ? this.shared.reveal(row) : { datatype: row.datatype, values: {}, securedKeys: row.securedKeys };
    const given = cmd.values ?? previous.values;
    const { values, securedKeys } = settledValues(given, cmd.securedKeys ?? previous.securedKeys.filter((k) => Object.hasOwn(given, k)), previous);
    const name = cmd.name ?? row.name;
    if (name !== row.name && (await this.parameters.findByName(cmd.tenantId, name))) throw DomainException.conflict(`shared parameter '${name}' already exists`);
    const updated = await this.parameters.update(cmd.tenantId, cmd.id, { name, datatype: cmd.datatype ?? row.datatype, values: this.shared.seal(values, securedKeys), securedKeys });
    return toSharedParameterView(updated);
  }
}

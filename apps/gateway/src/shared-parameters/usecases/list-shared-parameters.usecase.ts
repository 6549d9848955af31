import { Injectable } from '@nestjs/common';
import { SharedParameterRepository } from '@cam-esc/persistence';
import { toSharedParameterView } from '../shared-parameter.view';

@Injectable()
export class ListSharedParametersUseCase {
  constructor(private readonly parameters: SharedParameterRepository) {}

  async execute(tenantId: string, where: { datatype?: string }) {
    return (await this.parameters.list(tenantId, where)).map(toSharedParameterView);
  }
}

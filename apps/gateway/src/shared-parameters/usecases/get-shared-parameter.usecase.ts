import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { SharedParameterRepository } from '@cam-esc/persistence';
import { toSharedParameterView } from '../shared-parameter.view';

@Injectable()
export class GetSharedParameterUseCase {
  constructor(private readonly parameters: SharedParameterRepository) {}

  async execute(tenantId: string, id: string) {
    const row = await this.parameters.findById(tenantId, id);
    if (!row) throw DomainException.notFound('shared parameter', id);
    return toSharedParameterView(row);
  }
}

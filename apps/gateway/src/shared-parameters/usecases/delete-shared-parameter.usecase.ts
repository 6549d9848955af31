import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { SharedParameterRepository } from '@cam-esc/persistence';

@Injectable()
export class DeleteSharedParameterUseCase {
  constructor(private readonly parameters: SharedParameterRepository) {}

  async execute(tenantId: string, id: string): Promise<void> {
    if (!(await this.parameters.delete(tenantId, id))) throw DomainException.notFound('shared parameter', id);
  }
}

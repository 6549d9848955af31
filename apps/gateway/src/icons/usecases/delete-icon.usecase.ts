import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { IconRepository } from '@cam-esc/persistence';
import { builtinIconById } from '../builtin/builtin-icons';

/** DELETE icons/{id}: one of the tenant's icons; a built-in one stays (409). */
@Injectable()
export class DeleteIconUseCase {
  constructor(private readonly icons: IconRepository) {}

  async execute(tenantId: string, id: string): Promise<{ count: number }> {
    const builtin = builtinIconById(id);
    if (builtin) throw DomainException.conflict(`${builtin.name} is a built-in icon: it cannot be deleted (upload an icon of that name to replace it for this tenant)`);
    if (!(await this.icons.delete(tenantId, id))) throw DomainException.notFound('icon', id);
    return { count: 1 };
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Icon, IconRepository } from '@cam-esc/persistence';
import { builtinIconById, builtinIconByName } from '../builtin/builtin-icons';

/** An icon to download, by name or id: the tenant's own, else a built-in one of that name or id. */
@Injectable()
export class FindIconUseCase {
  constructor(private readonly icons: IconRepository) {}

  async byName(tenantId: string, name: string): Promise<Icon> {
    const icon = (await this.icons.findByName(tenantId, name)) ?? builtinIconByName(name);
    if (!icon) throw DomainException.notFound('icon', name);
    return icon;
  }

  async byId(tenantId: string, id: string): Promise<Icon> {
    const icon = builtinIconById(id) ?? (await this.icons.findById(tenantId, id));
    if (!icon) throw DomainException.notFound('icon', id);
    return icon;
  }
}

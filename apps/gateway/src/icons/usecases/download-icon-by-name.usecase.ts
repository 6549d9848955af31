import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Icon, IconRepository } from '@cam-esc/persistence';
import { builtinIconByName } from '../builtin/builtin-icons';

/** GET icons/name/{name}: the tenant's icon of that name, else the built-in one. */
@Injectable()
export class DownloadIconByNameUseCase {
  constructor(private readonly icons: IconRepository) {}

  async execute(tenantId: string, name: string): Promise<Icon> {
    const icon = (await this.icons.findByName(tenantId, name)) ?? builtinIconByName(name);
    if (!icon) throw DomainException.notFound('icon', name);
    return icon;
  }
}

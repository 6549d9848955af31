import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Icon, IconRepository } from '@cam-esc/persistence';
import { builtinIconById } from '../builtin/builtin-icons';

/** GET icons/{id}/download: a built-in icon or one of the tenant's. */
@Injectable()
export class DownloadIconUseCase {
  constructor(private readonly icons: IconRepository) {}

  async execute(tenantId: string, id: string): Promise<Icon> {
    const icon = builtinIconById(id) ?? (await this.icons.findById(tenantId, id));
    if (!icon) throw DomainException.notFound('icon', id);
    return icon;
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, VersionWithService } from '@cam-esc/persistence';

/** Service/{id}/duplicateService: a new service named `service_name`, with Draft copies of every version. */
@Injectable()
export class DuplicateServiceUseCase {
  constructor(private readonly services: ServiceRepository) {}

  async execute(tenantId: string, serviceId: string, body: unknown): Promise<VersionWithService> {
    const name = (body as { service_name?: unknown } | null)?.service_name;
    if (typeof name !== 'string' || !name.trim() || name.length > 255) {
      throw DomainException.invalid('service_name: is required and must be a non-empty string of at most 255 characters', { field: 'service_name' });
    }
    const source = await this.services.findById(tenantId, serviceId);
    if (!source) throw DomainException.notFound('service', serviceId);
    if (await this.services.findByName(tenantId, name)) throw DomainException.conflict(`service_name: a service named '${name}' already exists`);
    return this.services.duplicate(source, name);
  }
}

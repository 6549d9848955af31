import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ServiceRepository, ServiceVersionRepository } from '@cam-esc/persistence';

/** Service/{id}/deleteService with `{}`: the service, all its versions and their terminated instances; refused while live instances run on it. */
@Injectable()
export class DeleteServiceUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  async execute(tenantId: string, serviceId: string): Promise<{ count: number }> {
    const service = await this.services.findById(tenantId, serviceId);
    if (!service) throw DomainException.notFound('service', serviceId);
    const live = await this.versions.liveInstanceCount({ serviceId: service.id });
    if (live > 0) throw DomainException.conflict(`service '${service.name}' has ${live} live instance(s): terminate them first`);
    return { count: await this.services.delete(tenantId, service.id) };
  }
}

import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Service, ServiceRepository } from '@cam-esc/persistence';

const NAMESPACE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Service/{id}/setNamespaceId?cloudOE_spaceGuid=a,b: the namespaces that see the service (replacing the earlier list). */
@Injectable()
export class SetNamespacesUseCase {
  constructor(private readonly services: ServiceRepository) {}

  async execute(tenantId: string, serviceId: string, list: string | undefined): Promise<Service> {
    const names = (list ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    if (!names.length) throw DomainException.invalid('cloudOE_spaceGuid: give the namespaces as a comma-separated list, e.g. ?cloudOE_spaceGuid=dev,prod', { field: 'cloudOE_spaceGuid' });
    const bad = names.find((n) => !NAMESPACE.test(n));
    if (bad) throw DomainException.invalid(`cloudOE_spaceGuid: '${bad.slice(0, 40)}' is not a namespace id (1..128 characters of A-Z a-z 0-9 . _ : -)`, { field: 'cloudOE_spaceGuid' });
    const service = await this.services.findById(tenantId, serviceId);
    if (!service) throw DomainException.notFound('service', serviceId);
    return this.services.update(service.id, { namespaceIds: [...new Set(names)] });
  }
}

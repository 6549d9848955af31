import { Injectable } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Service, ServiceChanges, ServiceRepository, ServiceVersionRepository } from '@cam-esc/persistence';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (field: string, rule: string) => DomainException.invalid(`${field}: ${rule}`, { field });

/**
 * Service/{id}/updateServiceDetails: set the default version (default_version_id or
 * default_version_name), rename, change the category or the image. Several at once are fine;
 * nothing is written unless all of them are valid.
 */
@Injectable()
export class UpdateServiceDetailsUseCase {
  constructor(
    private readonly services: ServiceRepository,
    private readonly versions: ServiceVersionRepository,
  ) {}

  async execute(tenantId: string, serviceId: string, body: unknown): Promise<Service> {
    const service = await this.services.findById(tenantId, serviceId);
    if (!service) throw DomainException.notFound('service', serviceId);
    if (!isObject(body)) throw invalid('body', 'must be an object');
    const changes: ServiceChanges = {};
    const { default_version_id: byId, default_version_name: byName } = body;
    if (byId !== undefined && byName !== undefined) throw invalid('default_version_id', 'give default_version_id or default_version_name, not both');
    if (byId !== undefined) {
      if (typeof byId !== 'string') throw invalid('default_version_id', 'must be a version id (a string)');
      const version = await this.services.findVersion(tenantId, byId);
      if (!version || version.serviceId !== service.id) throw invalid('default_version_id', `'${byId}' is not a version of service '${service.name}'`);
      changes.defaultVersionId = version.id;
    }
    if (byName !== undefined) {
      if (typeof byName !== 'string') throw invalid('default_version_name', 'must be a version label such as "1.0.0.1"');
      const version = await this.versions.findByLabel(service.id, byName);
      if (!version) throw invalid('default_version_name', `service '${service.name}' has no version '${byName}'`);
      changes.defaultVersionId = version.id;
    }
    if (body.service !== undefined) Object.assign(changes, await this.metadataChanges(tenantId, service, body.service));
    if (Object.keys(changes).length === 0) {
      throw invalid('body', 'nothing to change: give default_version_id, default_version_name, or service.catalog_metadata.name|category|image');
    }
    return this.services.update(service.id, changes);
  }

  private async metadataChanges(tenantId: string, service: Service, value: unknown): Promise<ServiceChanges> {
    if (!isObject(value) || !isObject(value.catalog_metadata)) throw invalid('service.catalog_metadata', 'must be an object');
    const meta = value.catalog_metadata;
    const changes: ServiceChanges = {};
    for (const field of ['name', 'category', 'image'] as const) {
      if (meta[field] === undefined) continue;
      const v = meta[field];
      if (typeof v !== 'string' || !v.trim() || v.length > 255) throw invalid(`service.catalog_metadata.${field}`, 'must be a non-empty string of at most 255 characters');
      changes[field] = v;
    }
    const unknown = Object.keys(meta).filter((k) => !['name', 'category', 'image'].includes(k));
    if (unknown.length) throw invalid(`service.catalog_metadata.${unknown[0]}`, 'cannot be changed here (name, category and image can; the rest belongs to a version: ServiceManifest/{id}/updateServiceVersion)');
    if (changes.name && changes.name !== service.name && (await this.services.findByName(tenantId, changes.name))) {
      throw DomainException.conflict(`service.catalog_metadata.name: a service named '${changes.name}' already exists`);
    }
    return changes;
  }
}


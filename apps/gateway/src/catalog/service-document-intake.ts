import { Injectable } from '@nestjs/common';
import { CamServiceDocument, normalizeServiceDocument } from '@cam-esc/catalog';
import { checkServiceDocument, FindTemplate, formatWarning } from '@cam-esc/flow';
import { EscConnections } from '@cam-esc/connections';
import { Service, TemplateRepository } from '@cam-esc/persistence';

export interface AcceptedDocument {
  document: CamServiceDocument;
  warnings: string[];
}

/**
 * How every call that stores a service document takes it (createService, addServiceVersion,
 * updateServiceVersion): structural errors are 400s naming the field; whatever would only stop a
 * deploy is saved with a warning, worded by the one checker that deploy uses too.
 */
@Injectable()
export class ServiceDocumentIntake {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly connections: EscConnections,
  ) {}

  templateFinder(tenantId: string): FindTemplate {
    return (name, version) => this.templates.findByNameAndVersion(tenantId, name, version);
  }

  /** `service`: the service a new or edited version belongs to; its name, category and image win. */
  async accept(tenantId: string, body: unknown, service?: Service): Promise<AcceptedDocument> {
    const raw = rawMetadata(body);
    const normalized = normalizeServiceDocument(body);
    const { document } = normalized;
    // a version takes its service's category: no default to warn about
    const warnings = service ? normalized.warnings.filter((w) => !w.startsWith("No 'Category'")) : normalized.warnings;
    if (service) warnings.push(...keepServiceIdentity(document, raw, service));
    const problems = await checkServiceDocument(document, this.templateFinder(tenantId), { connectionExists: (name) => this.connections.exists(tenantId, name) });
    warnings.push(...problems.map(formatWarning));
    return { document, warnings };
  }
}

/** A version's document carries the service's name, category and image; these change only through updateServiceDetails. */
function keepServiceIdentity(document: CamServiceDocument, given: Record<string, unknown>, service: Service): string[] {
  const warnings: string[] = [];
  const identity = { name: service.name, category: service.category, image: service.image };
  for (const [field, value] of Object.entries(identity) as Array<[keyof typeof identity, string]>) {
    if (typeof given[field] === 'string' && given[field] !== '' && given[field] !== value) {
      warnings.push(`catalog_metadata.${field} '${String(given[field])}' is not the service's '${value}': a version cannot change it, so the service's is kept (use Service/{id}/updateServiceDetails) \n`);
    }
    document.catalog_metadata[field] = value;
  }
  return warnings;
}

function rawMetadata(body: unknown): Record<string, unknown> {
  const service = (body as { service?: { catalog_metadata?: unknown } } | null)?.service;
  const meta = service?.catalog_metadata;
  return typeof meta === 'object' && meta !== null ? { ...(meta as Record<string, unknown>) } : {};
}

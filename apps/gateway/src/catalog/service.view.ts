import { CamParameter, CamServiceDocument } from '@cam-esc/catalog';
import { Service, ServiceVersion } from '@cam-esc/persistence';
import { MASK } from '../common/mask';

/** The document with the default value of every secured parameter masked. */
export function maskSecuredDefaults(doc: CamServiceDocument): CamServiceDocument {
  const mask = (params: CamParameter[] | undefined) => params?.map((p) => (p.secured && p.default !== undefined && p.default !== '' ? { ...p, default: MASK } : p));
  return {
    ...doc,
    tags: mask(doc.tags),
    actions: doc.actions.map((a) => ({ ...a, input_parameters: mask(a.input_parameters) })),
    plans: doc.plans?.map((p) => ({ ...p, plan_parameters: mask(p.plan_parameters) })),
  };
}

/** A service version ("ServiceManifest") as CAM answers it. */
export function toVersionView(v: ServiceVersion, service: Service) {
  const doc = maskSecuredDefaults(v.document as unknown as CamServiceDocument);
  return {
    version: v.version,
    ServiceEngine_InputFile: { service: doc },
    service_id: service.id,
    tenantId: v.tenantId,
    namespaceId: service.namespaceId,
    author: service.author,
    specVersion: doc.specVersion ?? 'v3',
    status: v.status,
    ...(v.publishedAt ? { publishedTime: v.publishedAt.toISOString() } : {}),
    tags: doc.tags ?? [],
    systemTags: Boolean(doc.catalog_metadata.systemTags ?? true),
    creationTime: v.createdAt.toISOString(),
    lastUpdated: v.updatedAt.toISOString(),
    id: v.id,
    actions: doc.actions,
    plans: doc.plans ?? [],
  };
}

/** The answer to createService: the service with its default version. */
export function toCreatedServiceView(service: Service, version: ServiceVersion, warnings: string[]) {
  return {
    id: service.id,
    name: service.name,
    author: service.author,
    image: service.image,
    status: '',
    serviceManifestId: version.id,
    creationTime: service.createdAt.toISOString(),
    lastUpdated: service.updatedAt.toISOString(),
    namespaceId: service.namespaceId,
    tenantId: service.tenantId,
    description: service.description,
    longDescription: service.longDescription,
    defaultServiceVersion: toVersionView(version, service),
    warning: warnings,
  };
}

/** An entry of GET /service. */
export function toServiceListEntry(service: Service, versions: ServiceVersion[]) {
  const def = versions.find((v) => v.id === service.defaultVersionId) ?? versions[0];
  const doc = def ? maskSecuredDefaults(def.document as unknown as CamServiceDocument) : undefined;
  return {
    id: service.id,
    name: service.name,
    displayName: service.name,
    author: service.author,
    image: service.image,
    description: service.description,
    specVersion: doc?.specVersion ?? 'v3',
    status: def?.status ?? 'Draft',
    serviceManifestId: def?.id,
    published: versions.some((v) => v.status === 'Published') ? 'true' : '',
    plans: Object.fromEntries((doc?.plans ?? []).map((p) => [p.name, def?.id])),
    tags: doc?.tags ?? [],
    versions: versions.map((v) => ({ id: v.id, version: v.version, status: v.status })),
    namespaceId: service.namespaceId,
    tenantId: service.tenantId,
    creationTime: service.createdAt.toISOString(),
    lastUpdated: service.updatedAt.toISOString(),
  };
}

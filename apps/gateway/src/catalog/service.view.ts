import { CamParameter, CamServiceDocument } from '@cam-esc/catalog';
import { Service, ServiceVersion, VersionSummary } from '@cam-esc/persistence';
import { MASK } from '@cam-esc/catalog';

export interface DocumentViewOptions {
  /** Shown to a requester (in an instance): the defaults of `hidden` parameters are masked too. */
  forRequester?: boolean;
}

/** The document with the default value of every secured parameter masked, and the service's name, category and image. */
export function documentOf(v: Pick<ServiceVersion, 'document'>, service: Service, options: DocumentViewOptions = {}): CamServiceDocument {
  const doc = v.document as unknown as CamServiceDocument;
  const masked = (p: CamParameter) => p.secured || p.type === 'password' || (options.forRequester && p.hidden);
  const mask = (params: CamParameter[] | undefined) => params?.map((p) => (p && masked(p) && p.default !== undefined && p.default !== '' ? { ...p, default: MASK } : p));
  return {
    ...doc,
    catalog_metadata: { ...doc.catalog_metadata, name: service.name, category: service.category, image: service.image },
    tags: mask(doc.tags),
    actions: doc.actions.map((a) => ({ ...a, input_parameters: mask(a.input_parameters) })),
    plans: doc.plans?.map((p) => ({ ...p, plan_parameters: mask(p.plan_parameters) })),
  };
}

/** A service version ("ServiceManifest") as CAM answers it; `warnings` for the calls that store one. */
export function toVersionView(v: ServiceVersion, service: Service, serviceInstanceCount?: number, warnings?: string[], options: DocumentViewOptions = {}) {
  const doc = documentOf(v, service, options);
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
    ...(v.retiredAt ? { retiredTime: v.retiredAt.toISOString() } : {}),
    ...(v.retireOn ? { retireOnDate: v.retireOn.toISOString() } : {}),
    tags: doc.tags ?? [],
    systemTags: Boolean(doc.catalog_metadata.systemTags ?? true),
    creationTime: v.createdAt.toISOString(),
    lastUpdated: v.updatedAt.toISOString(),
    ...(serviceInstanceCount !== undefined ? { serviceInstanceCount } : {}),
    id: v.id,
    actions: doc.actions,
    plans: doc.plans ?? [],
    ...(warnings ? { warning: warnings } : {}),
  };
}

/** The service itself, as updateServiceDetails answers it inside `{ service }`. */
export function toServiceView(service: Service) {
  return {
    id: service.id,
    name: service.name,
    serviceManifestId: service.defaultVersionId,
    author: service.author,
    image: service.image,
    category: service.category,
    status: '',
    creationTime: service.createdAt.toISOString(),
    lastUpdated: service.updatedAt.toISOString(),
    namespaceId: service.namespaceId,
    namespaceIds: [service.namespaceId, ...service.namespaceIds.filter((n) => n !== service.namespaceId)],
    orgGuid: service.orgGuid,
    spaceGuid: service.namespaceId,
    tenantId: service.tenantId,
    description: service.description,
    longDescription: service.longDescription,
  };
}

/** The answer to createService and duplicateService: the service with its default version. */
export function toCreatedServiceView(service: Service, version: ServiceVersion, warnings: string[]) {
  return { ...toServiceView(service), defaultServiceVersion: toVersionView(version, service, 0), warning: warnings };
}

/** An entry of GET /service: the service, its versions, and its default version's plans and tags. */
export function toServiceListEntry(service: Service, versions: VersionSummary[], defaultVersion: Pick<ServiceVersion, 'document'> | undefined) {
  const def = versions.find((v) => v.id === service.defaultVersionId) ?? versions[0];
  const doc = defaultVersion ? documentOf(defaultVersion, service) : undefined;
  return {
    ...toServiceView(service),
    displayName: service.name,
    specVersion: doc?.specVersion ?? 'v3',
    status: def?.status ?? 'Draft',
    serviceManifestId: def?.id,
    published: versions.some((v) => v.status === 'Published') ? 'true' : '',
    plans: Object.fromEntries((doc?.plans ?? []).map((p) => [p.name, def?.id])),
    tags: doc?.tags ?? [],
    versions: versions.map((v) => ({ id: v.id, version: v.version, status: v.status })),
  };
}

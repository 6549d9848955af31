import { CompiledTemplate, EscAnswer, EscCallback, EscVmReport, EscResourceKind } from '@cam-esc/esc';

/** The operations a step kind knows: create (provision), update, delete (terminate). */
export type StepVerb = 'create' | 'update' | 'delete';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What the runner stores of a step's resource, and what a kind needs back to address it. */
export interface StepResource {
  kind: string;
  internalId: string;
  /** The name the gateway gave it on ESC. */
  name: string;
  /** Internal id of the ESC tenant it lives in ('' for tenants, images and flavors). */
  escTenant: string;
  outputs: Record<string, string>;
}

/** What addresses a resource on ESC. */
export type ResourceAddress = Pick<StepResource, 'internalId' | 'escTenant'>;

/** A request as the runner persists and sends it. */
export interface StepRequest {
  method: HttpMethod;
  /** Under the ESC connection's URL, or the absolute URL of a resthook. */
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

/** A rendered create: the request, and what is known of the resource before ESC answers. */
export interface RenderedCreate {
  request: StepRequest;
  name: string;
  escTenant: string;
  outputs: Record<string, string>;
}

/** What ESC's GET of a resource says, for reconciling a late callback. */
export interface EscReading {
  phase: 'present' | 'gone' | 'error' | 'in-progress';
  /** ESC's own words for the state, for the log. */
  state?: string;
  vms?: Array<{ vm: EscVmReport; stage: string }>;
  outputs?: Record<string, string>;
}

/** How a callback is taken: it reports progress (a VM), or ends the operation, or is not tracked. */
export type CallbackRole = 'progress' | 'final' | 'other';

/** Identity of a resource the gateway is about to create. */
export interface NewIdentity {
  /** esc_resource id (a UUID): the suffix that makes names unique. */
  resourceId: string;
  /** 1..72 characters of A-Z a-z 0-9 - . _, never reused. */
  internalId: string;
  /** The ESC tenant a connection names by default, for resources that live in a tenant. */
  defaultTenant?: string;
}

/** A step kind run on ESC: one per ESC resource (deployment, tenant, network, ...). */
export interface EscStepKind {
  readonly transport: 'esc';
  /** Stored as esc_resource.kind, and in operation names (CREATE_TENANT). */
  readonly kind: string;
  /** The root element of its library templates. */
  readonly templateRoot: EscResourceKind;
  /** The name of its internal id among a step's outputs (internal_tenant_id, ...). */
  readonly idOutput: string;
  /** Outputs a later step may read besides the ones every kind has (created_at, name, ...). */
  readonly outputNames: readonly string[];
  /** Substitutes values into the template and sets the gateway-owned identity. Throws DomainException. */
  renderCreate(template: CompiledTemplate, values: Readonly<Record<string, string>>, identity: NewIdentity): RenderedCreate;
  /** The request that changes it to a new rendering (PUT), or undefined when ESC cannot update this kind. */
  updateRequest(resource: ResourceAddress, body: string): StepRequest | undefined;
  /** The request that deletes it, or undefined when it cannot be deleted on its own. */
  deleteRequest(resource: ResourceAddress): StepRequest | undefined;
  getPath(resource: ResourceAddress): string;
  /** Where ESC lists every resource of this kind (in an ESC tenant, for kinds that live in one); deployments have their own list and comparison. */
  listPath?(escTenant: string): string;
  roleOf(stage: string | undefined): CallbackRole;
  /** The final stages that end `verb` successfully. */
  successStages(verb: StepVerb): readonly string[];
  /** Outputs a final callback brings (external ids, ...). */
  outputsOf(callback: EscCallback): Record<string, string>;
  readGet(answer: EscAnswer): EscReading;
}

/** The outcome of a step run by the worker itself (a resthook's call). */
export interface DirectOutcome {
  succeeded: boolean;
  outputs: Record<string, string>;
  /** One line for the action log, secrets masked by the caller. */
  summary: string;
}

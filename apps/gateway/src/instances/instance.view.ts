import { CamServiceDocument, maskSecretsDeep, securedValues } from '@cam-esc/catalog';
import { outputsOf } from '@cam-esc/flow';
import { InstanceDetails } from '@cam-esc/persistence';
import { toVersionView } from '../catalog/service.view';



/** What the instance echoes of its deploy request (stored with secured values already masked). */
export interface InstanceRequestEcho {
  ownership: Record<string, unknown>;
  tags_input: Array<{ name: string; value: unknown; label?: string; secured?: boolean }>;
  resourceProperties: { templateParameters: unknown[]; specifications: Array<{ name: string; value: unknown; secured?: boolean }> };
  ace_orgGuid?: string;
  cloudOE_spaceGuid?: string;
}

interface StoredVmInterface {
  nicId?: string;
  network?: string;
  ipAddress?: string;
  macAddress?: string;
}

export interface EscDeploymentView {
  step_id: string;
  internal_deployment_id: string;
  deployment_name: string;
  external_deployment_id: string | null;
  status: string;
}

/** A service instance as CAM answers it, plus what ESC made of it under `esc`. */
export function toInstanceView(d: InstanceDetails) {
  const echo = d.request as unknown as InstanceRequestEcho;
  const version = d.serviceVersion;
  const doc = version.document as unknown as CamServiceDocument;
  const current = d.actions.find((a) => a.id === d.currentActionInstanceId) ?? d.actions[d.actions.length - 1];
  const provision = d.actions.find((a) => a.type === 'provision');
  const secrets = provision ? securedValues(provision.parameters, provision.securedNames) : [];
  // every step's outputs, as later steps read them; a secret echoed by a resthook stays masked
  const resources = d.escResources.map((r) => ({
    step_id: r.stepId,
    kind: r.kind,
    internal_id: r.internalId,
    name: r.name,
    esc_tenant: r.escTenant,
    connection: r.connectionName || null,
    status: r.status,
    outputs: maskSecretsDeep(outputsOf(r), secrets),
  }));
  const deployments = d.escResources.filter((r) => r.kind === 'deployment').map((r) => ({
    step_id: r.stepId,
    resource: r.kind,
    internal_deployment_id: r.internalId,
    deployment_name: r.name,
    external_deployment_id: r.externalId,
    esc_tenant: r.escTenant,
    status: r.status,
    transaction_ids: r.requests.filter((q) => q.transactionId).map((q) => ({ operation: q.operation, transaction_id: q.transactionId, status: q.status })),
    vms: r.vms.map((vm) => {
      const interfaces = vm.interfaces as unknown as StoredVmInterface[];
      return {
        name: vm.vmName,
        uuid: vm.vmUuid,
        group: vm.groupName,
        host: vm.hostName,
        state: vm.stage,
        ip_addresses: interfaces.map((i) => i.ipAddress).filter(Boolean),
        interfaces,
      };
    }),
  }));
  return {
    name: d.name,
    Status: d.status,
    owner: d.owner,
    templateName: '',
    ordered_time: d.createdAt.toISOString(),
    updated_time: d.updatedAt.toISOString(),
    creationTime: d.createdAt.toISOString(),
    ...(d.activeAt ? { active_time: d.activeAt.toISOString() } : {}),
    activity_deployment_details: activityDetails(resources),
    logs: (current?.log ?? '').trimStart() || (current?.status === 'Submitted' ? 'Waiting for service action to start' : ''),
    serviceId: d.serviceId,
    serviceManifestId: d.serviceVersionId,
    ownership: echo.ownership,
    namespaceId: d.namespaceId,
    tenantId: d.tenantId,
    instance_plan: d.plan,
    action: current?.name ?? '',
    id: d.id,
    ServiceID: d.serviceId,
    instance_plan_id: d.planId,
    resourceProperties: echo.resourceProperties,
    catalogItemId: d.serviceId,
    tags_input: echo.tags_input,
    ace_orgGuid: echo.ace_orgGuid ?? '',
    cloudOE_spaceGuid: echo.cloudOE_spaceGuid ?? d.namespaceId,
    Bearer_Token: '*******',
    bindable: Boolean(doc.catalog_metadata.bindable),
    catalogItemName: version.service.name,
    // what the requester sees: hidden plan values stay hidden
    serviceManifest: toVersionView(version, version.service, undefined, undefined, { forRequester: true }),
    action_status: current ? { name: current.name, type: current.type, status: current.status, started: current.startedAt, finished: current.finishedAt } : {},
    output_parameters: [],
    bind_array: {},
    current_action_instance_id: d.currentActionInstanceId,
    esc: { deployments, resources },
  };
}

function activityDetails(resources: Array<{ step_id: string; kind: string; internal_id: string; name: string; status: string; outputs: Record<string, string> }>) {
  if (resources.length === 0) return {};
  return {
    instance: Object.fromEntries(
      resources.map((r) => [
        r.step_id,
        {
          activity_id: r.step_id,
          template_type: r.kind === 'resthook' ? 'resthook' : 'ESC',
          resource_type: r.kind,
          resource_id: r.internal_id,
          instance_name: r.name,
          status: r.status,
          stack_id: r.outputs[`external_${r.kind}_id`] ?? null,
        },
      ]),
    ),
  };
}

import { CamServiceDocument, maskSecretsDeep, securedValues } from '@cam-esc/catalog';
import { outputsOf } from '@cam-esc/flow';
import { InstanceDetails } from '@cam-esc/persistence';
import { ActionDetails, ActionStatus, ActionType } from '@cam-esc/instances';
import { toVersionView } from '../catalog/service.view';
import { toActionHistoryEntry } from './instance-history.view';
import { currentFlowAction } from './lifecycle/instance-values';
import { instancePowerState, powerStateOf } from './lifecycle/power-state';


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
/** `secrets`: the actions' secured values (SecuredValues), masked wherever ESC echoed them. */
export function toInstanceView(d: InstanceDetails, secrets: string[] = [...new Set(d.actions.flatMap((a) => securedValues(a.parameters, a.securedNames)))]) {
  const echo = d.request as unknown as InstanceRequestEcho;
  const version = d.serviceVersion;
  const doc = version.document as unknown as CamServiceDocument;
  const current = d.actions.find((a) => a.id === d.currentActionInstanceId) ?? d.actions[d.actions.length - 1];
  // a later action's callbacks and outputs may echo an earlier one's secrets: all of them are masked
  const lastFlow = currentFlowAction(d);
  // every step's outputs, as later steps read them; a secret echoed by a resthook stays masked
  const resources = d.escResources.map((r) => ({
    step_id: r.stepId,
    /** provision: the instance's flow; else the custom (bind, unbind) action run that made it */
    scope: r.scope,
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
    power_state: powerStateOf(r.vms.map((vm) => vm.stage)),
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
    bind_array: bindsOf(d.actions),
    current_action_instance_id: d.currentActionInstanceId,
    stack_id: deployments.map((dep) => dep.external_deployment_id).filter(Boolean),
    ...(lastFlow ? { last_plan_action_instance_id: lastFlow.id, last_plan_action_instance_status: toActionHistoryEntry(lastFlow).Status } : {}),
    processed_time: (current?.startedAt ?? current?.createdAt ?? d.createdAt).toISOString(),
    /** Whether the instance's VMs run: Running, Stopped, Partially stopped, Degraded (a VM down), or null without VMs. */
    power_state: instancePowerState(d),
    actionInstanceDetails: d.actions.map(toActionHistoryEntry),
    esc: { deployments, resources },
  };
}

/** The instance's binds (createBind) not yet unbound (terminateBind), by name. */
function bindsOf(actions: InstanceDetails['actions']): Record<string, unknown> {
  const binds: Record<string, unknown> = {};
  for (const a of actions) {
    const name = (a.details as ActionDetails).bindName;
    if (!name) continue;
    if (a.type === ActionType.Bind && a.status !== ActionStatus.Failed) binds[name] = { name, actionInstanceId: a.id, status: a.status, created_time: a.createdAt.toISOString() };
    if (a.type === ActionType.Unbind && a.status === ActionStatus.Succeeded) delete binds[name];
  }
  return binds;
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

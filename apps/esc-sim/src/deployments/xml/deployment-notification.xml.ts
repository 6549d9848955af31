import { ServiceState, SimDeployment, SimVm } from '../deployment.model';
import { xmlDocument } from '../../common/esc-xml';

export type DeploymentStage =
  | 'VM_DEPLOYED'
  | 'VM_ALIVE'
  | 'VM_UPDATED'
  | 'VM_UNDEPLOYED'
  | 'SERVICE_ALIVE'
  | 'SERVICE_UPDATED'
  | 'SERVICE_UNDEPLOYED'
  | ServiceOperationStage
  | 'VM_DOWN'
  | 'VM_SCALE_OUT_DEPLOYED';

/** The stages of the "07-Deployment Operations" (stop, start, reboot, enable/disable monitoring). */
export type ServiceOperationStage =
  | 'VM_STOPPED'
  | 'SERVICE_STOPPED'
  | 'VM_STARTED'
  | 'SERVICE_STARTED'
  | 'VM_REBOOTED'
  | 'SERVICE_REBOOTED'
  | 'VM_MONITOR_ENABLED'
  | 'SERVICE_MONITOR_ENABLED'
  | 'VM_MONITOR_DISABLED'
  | 'SERVICE_MONITOR_DISABLED';

export interface DeploymentNotification {
  stage: DeploymentStage;
  serviceState: ServiceState;
  /** Present for VM_* stages: becomes <deployment_details>. */
  vm?: SimVm;
  /**
   * One <deployment_details> each: the final callback of a deployment operation carries the VMs,
   * as the reference's SERVICE_STOPPED example does (unlike SERVICE_ALIVE).
   */
  vms?: SimVm[];
}

/** The <deployment> body of a deployment callback, element order as in the reference examples. */
export function deploymentNotificationXml(deployment: SimDeployment, notification: DeploymentNotification): string {
  return xmlDocument('deployment', {
    datacenter: { default: 'false' },
    ...(notification.vm && { deployment_details: deploymentDetails(notification.vm) }),
    ...(notification.vms && notification.vms.length > 0 && { deployment_details: notification.vms.map(deploymentDetails) }),
    deployment_name: deployment.name,
    deployment_stage: notification.stage,
    ...deploymentIds(deployment),
    service_state_machine_state: notification.serviceState,
  });
}

export function deploymentDetails(vm: SimVm): Record<string, unknown> {
  return {
    host_uuid: vm.hostUuid,
    host_name: vm.hostName,
    vm_uuid: vm.uuid,
    interfaces: { interface: vm.interfaces.map(interfaceFields) },
    vm_group_name: vm.groupName,
    vm_name: vm.name,
    vm_state_machine_state: vm.state,
  };
}

/** One NIC as ESC's callbacks describe it (in <interface>, or directly in an esc_event's <interfaces>). */
export function interfaceFields(nic: SimVm['interfaces'][number]): Record<string, string | undefined> {
  return {
    network_uuid: nic.network,
    ip_address: nic.ipAddress,
    mac_address: nic.macAddress,
    nic_id: nic.nicId,
    port_forwarding: '',
    port_uuid: '',
    security_groups: '',
    subnet_uuid: '',
    type: 'virtual',
  };
}

export function deploymentIds(deployment: SimDeployment): Record<string, string> {
  return {
    external_deployment_id: deployment.externalId,
    external_tenant_id: deployment.tenant.externalId,
    internal_deployment_id: deployment.internalId,
    internal_tenant_id: deployment.tenant.internalId,
  };
}

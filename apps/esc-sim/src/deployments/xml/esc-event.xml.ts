import { SimDeployment, SimVm } from '../deployment.model';
import { xmlDocument } from '../../common/esc-xml';
import { deploymentIds, interfaceFields } from './deployment-notification.xml';

export type EscEventType =
  | 'VM_STOP_COMPLETE'
  | 'VM_START_COMPLETE'
  | 'VM_REBOOT_COMPLETE'
  | 'VM_ENABLE_MONITORING_COMPLETE'
  | 'VM_DISABLE_MONITORING_COMPLETE'
  | 'VM_RECOVERY_INIT'
  | 'VM_RECOVERY_UNDEPLOYED'
  | 'VM_RECOVERY_DEPLOYED'
  | 'VM_RECOVERY_COMPLETE'
  | 'VM_SNAPSHOT_COMPLETE';

/**
 * The <esc_event> body of a VM operation callback, element order as in the reference's
 * VM_STOP_COMPLETE example. There, <interfaces> holds the NIC's fields directly (no <interface>
 * wrapper), so a VM with several NICs gets one <interfaces> per NIC.
 */
export function escEventXml(deployment: SimDeployment, vm: SimVm, eventType: EscEventType, details = ''): string {
  return xmlDocument('esc_event', {
    deployment_name: deployment.name,
    event_details: details,
    event_type: eventType,
    ...deploymentIds(deployment),
    vm_source: {
      interfaces: vm.interfaces.map(interfaceFields),
      host_uuid: vm.hostUuid,
      host_name: vm.hostName,
      vm_uuid: vm.uuid,
      vm_group_name: vm.groupName,
      vm_name: vm.name,
    },
  });
}

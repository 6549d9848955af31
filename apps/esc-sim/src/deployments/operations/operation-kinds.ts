import { ServiceState, SimVm, VmState } from '../deployment.model';
import { ServiceOperationStage } from '../xml/deployment-notification.xml';
import { EscEventType } from '../xml/esc-event.xml';

/** The <operation> of a service_operation or vm_operation body. */
export type OperationName = 'stop' | 'start' | 'reboot' | 'enable_monitoring' | 'disable_monitoring';

export const OPERATION_NAMES: readonly OperationName[] = ['stop', 'start', 'reboot', 'enable_monitoring', 'disable_monitoring'];

/** What a deployment operation does and reports. */
export interface ServiceOperationKind {
  /** Sent once per VM, then serviceStage. */
  vmStage: ServiceOperationStage;
  serviceStage: ServiceOperationStage;
  vmMessage: string;
  serviceMessage: string;
  /** What every VM and the service become; left as they are when absent (monitoring). */
  vmState?: VmState;
  serviceState?: ServiceState;
  /** Service states it does not apply to (400), with the reason. */
  notApplicable: Partial<Record<ServiceState, string>>;
}

/** What a VM operation does and reports. */
export interface VmOperationKind {
  eventType: EscEventType;
  message(vm: SimVm): string;
  vmState?: VmState;
  notApplicable: Partial<Record<VmState, string>>;
}

// VM_STOPPED / SERVICE_STOPPED, their states and messages, and VM_STOP_COMPLETE with its message
// are the reference's; the other stages follow the same pattern (the brief's names), and their
// messages are the simulator's own.
export const SERVICE_OPERATIONS: Readonly<Record<OperationName, ServiceOperationKind>> = {
  stop: {
    vmStage: 'VM_STOPPED',
    serviceStage: 'SERVICE_STOPPED',
    vmMessage: 'VM successfully stopped',
    serviceMessage: 'Service group suspension completed successfully',
    vmState: 'VM_SHUTOFF_STATE',
    serviceState: 'SERVICE_STOPPED_STATE',
    notApplicable: { SERVICE_STOPPED_STATE: 'it is already stopped' },
  },
  start: {
    vmStage: 'VM_STARTED',
    serviceStage: 'SERVICE_STARTED',
    vmMessage: 'VM successfully started',
    serviceMessage: 'Service group start completed successfully',
    vmState: 'VM_ALIVE_STATE',
    serviceState: 'SERVICE_ACTIVE_STATE',
    notApplicable: { SERVICE_ACTIVE_STATE: 'it is already running' },
  },
  reboot: {
    vmStage: 'VM_REBOOTED',
    serviceStage: 'SERVICE_REBOOTED',
    vmMessage: 'VM successfully rebooted',
    serviceMessage: 'Service group reboot completed successfully',
    vmState: 'VM_ALIVE_STATE',
    serviceState: 'SERVICE_ACTIVE_STATE',
    notApplicable: { SERVICE_STOPPED_STATE: 'it is stopped' },
  },
  enable_monitoring: {
    vmStage: 'VM_MONITOR_ENABLED',
    serviceStage: 'SERVICE_MONITOR_ENABLED',
    vmMessage: 'VM monitoring successfully enabled',
    serviceMessage: 'Service group monitoring enabled successfully',
    notApplicable: {},
  },
  disable_monitoring: {
    vmStage: 'VM_MONITOR_DISABLED',
    serviceStage: 'SERVICE_MONITOR_DISABLED',
    vmMessage: 'VM monitoring successfully disabled',
    serviceMessage: 'Service group monitoring disabled successfully',
    notApplicable: {},
  },
};

export const VM_OPERATIONS: Readonly<Record<OperationName, VmOperationKind>> = {
  stop: {
    eventType: 'VM_STOP_COMPLETE',
    message: (vm) => `Successfully stopped VM [${vm.name}]`,
    vmState: 'VM_SHUTOFF_STATE',
    notApplicable: { VM_SHUTOFF_STATE: 'it is already stopped' },
  },
  start: {
    eventType: 'VM_START_COMPLETE',
    message: (vm) => `Successfully started VM [${vm.name}]`,
    vmState: 'VM_ALIVE_STATE',
    notApplicable: { VM_ALIVE_STATE: 'it is already running' },
  },
  reboot: {
    eventType: 'VM_REBOOT_COMPLETE',
    message: (vm) => `Successfully rebooted VM [${vm.name}]`,
    vmState: 'VM_ALIVE_STATE',
    notApplicable: { VM_SHUTOFF_STATE: 'it is stopped' },
  },
  enable_monitoring: {
    eventType: 'VM_ENABLE_MONITORING_COMPLETE',
    message: (vm) => `Successfully enabled monitoring on VM [${vm.name}]`,
    notApplicable: {},
  },
  disable_monitoring: {
    eventType: 'VM_DISABLE_MONITORING_COMPLETE',
    message: (vm) => `Successfully disabled monitoring on VM [${vm.name}]`,
    notApplicable: {},
  },
};

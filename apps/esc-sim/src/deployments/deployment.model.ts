/** What the client asked for, as read from an esc_datamodel body. */
export interface DeploymentSpec {
  tenantName: string;
  deploymentName: string;
  vmGroups: VmGroupSpec[];
}

export interface VmGroupSpec {
  name: string;
  image: string;
  flavor?: string;
  minActive: number;
  interfaces: InterfaceSpec[];
  /** scaling/static_ip_address_pool addresses by network, used for the 2nd+ VM of a group. */
  staticIpPool: Record<string, string[]>;
}

export interface InterfaceSpec {
  nicId: string;
  network: string;
  ipAddress?: string;
}

export type ServiceState =
  | 'SERVICE_DEPLOYING_STATE'
  | 'SERVICE_INERT_STATE'
  /** Sic: what the reference's update example shows for VM_ALIVE; kept so clients meet it. */
  | 'SERVICE_INSERT_STATE'
  | 'SERVICE_ACTIVE_STATE'
  | 'SERVICE_UPDATING_STATE'
  | 'SERVICE_UNDEPLOYING_STATE'
  | 'SERVICE_STOPPED_STATE'
  | 'SERVICE_ERROR_STATE';

export type VmState =
  | 'VM_INSERT_STATE'
  | 'VM_ALIVE_STATE'
  | 'VM_SHUTOFF_STATE'
  | 'VM_UNDEPLOYED_STATE'
  | 'VM_ERROR_STATE';

export interface SimVmInterface {
  nicId: string;
  network: string;
  ipAddress: string;
  macAddress: string;
}

export interface SimVm {
  uuid: string;
  name: string;
  groupName: string;
  /** 0-based position inside its vm_group, part of the generated VM name. */
  index: number;
  hostUuid: string;
  hostName: string;
  interfaces: SimVmInterface[];
  state: VmState;
}

export interface SimTenant {
  name: string;
  internalId: string;
  externalId: string;
}

export interface SimDeployment {
  internalId: string;
  externalId: string;
  name: string;
  tenant: SimTenant;
  spec: DeploymentSpec;
  vms: SimVm[];
  state: ServiceState;
  /** From the latest request that gave them; eventsCallbackUrl (else callbackUrl) receives unrequested events. */
  callbackUrl?: string;
  eventsCallbackUrl?: string;
  createdAt: string;
  /** DELETE accepted; the undeploy may still be waiting for a running operation. */
  undeployRequested: boolean;
}

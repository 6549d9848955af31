import { CamParameter } from '@cam-esc/catalog';
import { buildXml, XmlNode } from '@cam-esc/esc';
import { CallbackRole, ResourceAddress, StepRequest } from '../kinds/step-kind';

/** What an ESC operation is run on: the whole deployment, or one of its VMs. */
export type OperationScope = 'service' | 'vm';

/** Values an operation takes from its invocation (the custom action's instance_parameters). */
export interface OperationArguments {
  vmName?: string;
  snapshotName?: string;
}

/**
 * A built-in ESC operation every ESC-backed instance has (ESC "07-Deployment Operations" and
 * "08-VM Operations"): how it is asked for, which callbacks report on it and which one ends it.
 */
export interface EscOperation {
  /** The name getCustomActions lists and invokeCustomAction takes: esc_stop, esc_vm_reboot, ... */
  readonly name: string;
  /** Stored as esc_request.operation: SERVICE_STOP, VM_REBOOT, VM_RECOVERY, ... */
  readonly requestName: string;
  readonly scope: OperationScope;
  /** The step kind of the resources it is run on. */
  readonly onKind: string;
  readonly description: string;
  /** What the invocation must give (a VM operation names its VM). */
  readonly inputParameters: readonly CamParameter[];
  /** Over several deployments: stop from the last step back, everything else in step order. */
  readonly order: 'forward' | 'reverse';
  request(deployment: ResourceAddress, args: OperationArguments): StepRequest;
  roleOf(stage: string | undefined): CallbackRole;
  /** Final stages that end it well; empty: any final stage does (ESC's reference names no stage for it). */
  readonly successStages: readonly string[];
  /** ESC's service state once it is done, when GET can tell (reconciling a lost final callback). */
  readonly settledServiceState?: string;
  /** Whether a final callback of this stage describes the VM it acted on (VM_STOP_COMPLETE names it in vm_source). */
  finalDescribesVm(stage: string): boolean;
}

export const NETCONF_NS = 'urn:ietf:params:xml:ns:netconf:base:1.0';

/** `<root xmlns=netconf><name>value</name>...</root>`, escaped by the builder. */
export function operationXml(root: string, fields: Array<[string, string]>): string {
  const children: XmlNode[] = fields.map(([name, value]) => ({ [name]: [{ '#text': value }] }));
  return buildXml([{ [root]: children, ':@': { '@_xmlns': NETCONF_NS } }]);
}

export const VM_NAME_PARAMETER: CamParameter = {
  name: 'vm_name',
  label: 'VM name',
  type: 'string',
  customtype: 'string',
  required: true,
  secured: false,
  immutable: false,
  hidden: false,
  description: 'The ESC name of the VM (esc.deployments[].vms[].name of the instance)',
};

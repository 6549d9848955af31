import { EscVmReport, vmReport } from '../callbacks/esc-callback';
import { childText, parseXml, rootElement, selectAll, XmlNode } from './xml-tree';

/**
 * ESC's own view of a deployment (GET /v0/deployments/{id}), as far as reconciliation needs it.
 * ESC names states like SERVICE_ACTIVE_STATE, SERVICE_ERROR_STATE, SERVICE_DEPLOYING_STATE.
 */
export interface EscDeploymentState {
  serviceState?: string;
  phase: 'active' | 'error' | 'in-progress';
  /** Each VM with the stage its state machine state stands for (VM_ALIVE_STATE → VM_ALIVE). */
  vms: Array<{ vm: EscVmReport; stage: string }>;
}

export function parseDeploymentState(body: string): EscDeploymentState {
  const root = rootElement(parseXml(body));
  // the answer is a <deployment>, or a list holding one
  return deploymentStateOf(root && (selectAll(root, ['deployment'])[0] ?? root));
}

/** The state of one <deployment> element. */
export function deploymentStateOf(deployment: XmlNode | undefined): EscDeploymentState {
  const serviceState = deployment ? childText(deployment, 'service_state_machine_state') : undefined;
  const phase = serviceState === 'SERVICE_ACTIVE_STATE' ? 'active' : serviceState?.includes('ERROR') ? 'error' : 'in-progress';
  const vms = (deployment ? selectAll(deployment, ['deployment_details']) : []).flatMap((details) => {
    const name = childText(details, 'vm_name');
    if (!name) return [];
    const vm = vmReport(details, name);
    return [{ vm, stage: stageOfVmState(vm.state) }];
  });
  return { serviceState, phase, vms };
}

function stageOfVmState(state: string | undefined): string {
  if (!state) return 'VM_DEPLOYED';
  const stage = state.replace(/_STATE$/, '');
  return stage === 'VM_INSERT' ? 'VM_DEPLOYED' : stage;
}

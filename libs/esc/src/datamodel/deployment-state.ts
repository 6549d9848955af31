import { childText, parseXml, rootElement, selectAll } from './xml-tree';

/**
 * ESC's own view of a deployment (GET /v0/deployments/{id}), as far as reconciliation needs it.
 * ESC names states like SERVICE_ACTIVE_STATE, SERVICE_ERROR_STATE, SERVICE_DEPLOYING_STATE.
 */
export interface EscDeploymentState {
  serviceState?: string;
  phase: 'active' | 'error' | 'in-progress';
}

export function parseDeploymentState(body: string): EscDeploymentState {
  const root = rootElement(parseXml(body));
  // the answer is a <deployment>, or a list holding one
  const deployment = root && (selectAll(root, ['deployment'])[0] ?? root);
  const serviceState = deployment ? childText(deployment, 'service_state_machine_state') : undefined;
  const phase = serviceState === 'SERVICE_ACTIVE_STATE' ? 'active' : serviceState?.includes('ERROR') ? 'error' : 'in-progress';
  return { serviceState, phase };
}

import { deploymentStateOf, EscDeploymentState } from './deployment-state';
import { childText, parseXml, rootElement, selectAll } from './xml-tree';

export interface EscListedDeployment extends EscDeploymentState {
  internalId: string;
  name?: string;
  tenant?: string;
}

/** GET /v0/deployments: every deployment ESC holds, with its state and VMs. */
export function parseDeploymentList(body: string): EscListedDeployment[] {
  const root = rootElement(parseXml(body));
  if (!root) return [];
  const deployments = childText(root, 'internal_deployment_id') !== undefined ? [root] : selectAll(root, ['deployment']);
  return deployments.flatMap((d) => {
    const internalId = childText(d, 'internal_deployment_id')?.trim();
    if (!internalId) return [];
    return [{ ...deploymentStateOf(d), internalId, name: childText(d, 'deployment_name')?.trim(), tenant: childText(d, 'internal_tenant_id')?.trim() }];
  });
}

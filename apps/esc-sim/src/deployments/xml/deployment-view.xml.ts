import { SimDeployment } from '../deployment.model';
import { deploymentDetails, deploymentIds } from './deployment-notification.xml';
import { xmlDocument } from './esc-xml';

// The reference documents no response model for GET deployments, so these answers reuse the
// vocabulary of the deployment callbacks (one <deployment_details> per VM).

export function deploymentXml(deployment: SimDeployment): string {
  return xmlDocument('deployment', deploymentFields(deployment));
}

export function deploymentListXml(deployments: SimDeployment[]): string {
  return xmlDocument('deployments', { deployment: deployments.map(deploymentFields) });
}

export type AcceptedOperation = 'create' | 'update' | 'delete';

/** Body of the 200 answer to POST/PUT/DELETE; clients should only need the esc-transaction-id header. */
export function acceptedXml(operation: AcceptedOperation, deployment: SimDeployment, transactionId: string): string {
  return xmlDocument('esc_request', {
    operation,
    internal_deployment_id: deployment.internalId,
    deployment_name: deployment.name,
    transaction_id: transactionId,
    status_message: 'Request accepted',
  });
}

function deploymentFields(deployment: SimDeployment): Record<string, unknown> {
  return {
    datacenter: { default: 'false' },
    deployment_details: deployment.vms.map(deploymentDetails),
    deployment_name: deployment.name,
    ...deploymentIds(deployment),
    service_state_machine_state: deployment.state,
    tenant_name: deployment.tenant.name,
  };
}

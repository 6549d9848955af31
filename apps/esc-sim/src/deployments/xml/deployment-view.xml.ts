import { SimDeployment } from '../deployment.model';
import { deploymentDetails, deploymentIds } from './deployment-notification.xml';
import { xmlDocument } from '../../common/esc-xml';

// The reference documents no response model for GET deployments, so these answers reuse the
// vocabulary of the deployment callbacks (one <deployment_details> per VM).

export function deploymentXml(deployment: SimDeployment): string {
  return xmlDocument('deployment', deploymentFields(deployment));
}

export function deploymentListXml(deployments: SimDeployment[]): string {
  return xmlDocument('deployments', { deployment: deployments.map(deploymentFields) });
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

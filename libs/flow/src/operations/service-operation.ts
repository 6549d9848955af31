import { EscOperation, operationXml } from './esc-operation';

type ServiceVerb = 'stop' | 'start' | 'reboot' | 'enable_monitoring' | 'disable_monitoring';

const WORDS: Record<ServiceVerb, { description: string; success: readonly string[]; settled?: string }> = {
  stop: { description: 'Stop every VM of the instance\'s ESC deployments', success: ['SERVICE_STOPPED'], settled: 'SERVICE_STOPPED_STATE' },
  start: { description: 'Start every VM of the instance\'s ESC deployments', success: [], settled: 'SERVICE_ACTIVE_STATE' },
  reboot: { description: 'Reboot every VM of the instance\'s ESC deployments', success: [] },
  enable_monitoring: { description: 'Enable ESC monitoring of every VM of the instance\'s deployments', success: [] },
  disable_monitoring: { description: 'Disable ESC monitoring of every VM of the instance\'s deployments', success: [] },
};

/**
 * ESC "07-Deployment Operations": POST /v0/{internal_tenant_id}/deployments/service/{internal_deployment_id}
 * with a <service_operation>. ESC reports each VM (VM_STOPPED, ...) and ends with a SERVICE_* stage
 * (SERVICE_STOPPED for a stop).
 */
function serviceOperation(verb: ServiceVerb): EscOperation {
  const words = WORDS[verb];
  return {
    name: `esc_${verb}`,
    requestName: `SERVICE_${verb.toUpperCase()}`,
    scope: 'service',
    onKind: 'deployment',
    description: words.description,
    inputParameters: [],
    order: verb === 'stop' ? 'reverse' : 'forward',
    request: (deployment) => ({
      method: 'POST',
      path: `/v0/${deployment.escTenant}/deployments/service/${deployment.internalId}`,
      body: operationXml('service_operation', [['operation', verb]]),
    }),
    roleOf(stage) {
      if (stage?.startsWith('VM_')) return 'progress';
      if (stage?.startsWith('SERVICE_')) return 'final';
      return 'other';
    },
    successStages: words.success,
    settledServiceState: words.settled,
    // SERVICE_STOPPED lists the VMs, but speaks of the service
    finalDescribesVm: () => false,
  };
}

export const SERVICE_OPERATIONS: readonly EscOperation[] = (Object.keys(WORDS) as ServiceVerb[]).map(serviceOperation);

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDeploymentState } from './deployment-state';

// ESC documents no body for GET /v0/deployments/{id}; like esc-sim, assume the callback vocabulary
const vmAlive = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/esc/callback_deploy_2_vm_alive.json'), 'utf8')).body as string;

describe('parseDeploymentState', () => {
  it('reads the service state and each VM with the stage its state stands for', () => {
    const body = vmAlive.replace('SERVICE_INERT_STATE', 'SERVICE_ACTIVE_STATE');
    const state = parseDeploymentState(body);
    expect(state.serviceState).toBe('SERVICE_ACTIVE_STATE');
    expect(state.phase).toBe('active');
    expect(state.vms).toEqual([{ stage: 'VM_ALIVE', vm: expect.objectContaining({ group: 'ASA-1', interfaces: [expect.objectContaining({ ipAddress: '18.0.0.16' })] }) }]);
  });

  it('knows error and in-progress states, and a list holding the deployment', () => {
    expect(parseDeploymentState(vmAlive.replace('SERVICE_INERT_STATE', 'SERVICE_ERROR_STATE')).phase).toBe('error');
    expect(parseDeploymentState(vmAlive).phase).toBe('in-progress');
    const listed = `<deployments>${vmAlive.replace(/<\?xml[^>]*>/, '').replace('VM_ALIVE_STATE', 'VM_INSERT_STATE')}</deployments>`;
    expect(parseDeploymentState(listed).vms.map((v) => v.stage)).toEqual(['VM_DEPLOYED']);
  });
});

import { parseXml, rootElement, childText, localName, tagOf } from '@cam-esc/esc';
import { ESC_OPERATIONS, escOperationNamed, escOperationOfRequest } from './registry';
import { handlingOf, requestVerb } from '../request-handling';
import { deploymentKind } from '../kinds/deployment.kind';

const deployment = { internalId: 'ceg-0001', escTenant: 'tenant-1' };

describe('built-in ESC operations', () => {
  it('asks ESC for a deployment operation with a <service_operation> on the deployment of its tenant', () => {
    const stop = escOperationNamed('esc_stop')!;
    const request = stop.request(deployment, {});
    expect(request).toMatchObject({ method: 'POST', path: '/v0/tenant-1/deployments/service/ceg-0001' });
    const root = rootElement(parseXml(request.body!))!;
    expect(localName(tagOf(root)!)).toBe('service_operation');
    expect(childText(root, 'operation')).toBe('stop');
    expect(request.body).toContain('xmlns="urn:ietf:params:xml:ns:netconf:base:1.0"');
  });

  it('asks for a VM operation on the VM by name (escaped in the path), recovery with recovery_do, a snapshot with its name escaped in the XML', () => {
    const vm = 'dep_ASA-1_0_b32 x';
    expect(escOperationNamed('esc_vm_reboot')!.request(deployment, { vmName: vm })).toMatchObject({ path: '/v0/tenant-1/deployments/vm/dep_ASA-1_0_b32%20x' });
    const recovery = escOperationNamed('esc_vm_recovery')!.request(deployment, { vmName: vm });
    expect(recovery.path).toBe('/v0/tenant-1/deployments/recovery-vm/dep_ASA-1_0_b32%20x');
    expect(childText(rootElement(parseXml(recovery.body!))!, 'operation')).toBe('recovery_do');
    const snapshot = escOperationNamed('esc_vm_snapshot')!.request(deployment, { vmName: vm, snapshotName: 'before <upgrade> & after' });
    expect(snapshot.path).toBe('/v0/tenant-1/deployments/snapshot-vm/dep_ASA-1_0_b32%20x');
    expect(childText(rootElement(parseXml(snapshot.body!))!, 'name')).toBe('before <upgrade> & after');
  });

  it('takes VM stages as progress and the service stage (or a *_COMPLETE event) as the end', () => {
    const stop = handlingOf(deploymentKind, 'SERVICE_STOP');
    expect(stop.verb).toBe('operate');
    expect([stop.roleOf('VM_STOPPED'), stop.roleOf('SERVICE_STOPPED'), stop.roleOf(undefined)]).toEqual(['progress', 'final', 'other']);
    expect(stop.successStages).toEqual(['SERVICE_STOPPED']);
    const vmStop = handlingOf(deploymentKind, 'VM_STOP');
    expect([vmStop.roleOf('VM_STOP_COMPLETE'), vmStop.roleOf('VM_STOPPED')]).toEqual(['final', 'progress']);
    expect(vmStop.successStages).toEqual(['VM_STOP_COMPLETE']);
    // ESC's reference names no stage for a reboot: any final one with a success code ends it well
    expect(handlingOf(deploymentKind, 'SERVICE_REBOOT').successStages).toEqual([]);
  });

  it('names every operation once, and keeps create, update and delete the kinds\' business', () => {
    const names = ESC_OPERATIONS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(ESC_OPERATIONS.map((o) => o.requestName)).size).toBe(names.length);
    expect(escOperationOfRequest('CREATE_DEPLOYMENT')).toBeUndefined();
    expect([requestVerb('UPDATE_DEPLOYMENT'), requestVerb('VM_RECOVERY')]).toEqual(['update', 'operate']);
    expect(handlingOf(deploymentKind, 'UPDATE_DEPLOYMENT').successStages).toEqual(['SERVICE_UPDATED']);
  });
});

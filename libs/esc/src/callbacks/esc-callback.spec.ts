import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEscCallback, transactionIdOf } from './esc-callback';
import { classifyStage, vmStageRank } from './stages';

interface CallbackFixture {
  headers: Record<string, string>;
  body: string;
}
const fixture = (name: string): CallbackFixture => JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/esc', name), 'utf8'));

describe('parseEscCallback on the ESC seed callbacks', () => {
  it('reads VM_DEPLOYED with its VM', () => {
    const { headers, body } = fixture('callback_deploy_1_vm_deployed.json');
    expect(parseEscCallback(headers, body)).toEqual({
      fields: expect.objectContaining({ internal_deployment_id: 'my_dep_id', external_tenant_id: 'SystemAdminTenantId', deployment_stage: 'VM_DEPLOYED' }),
      transactionId: 'd53f0047-2315-466c-b7e3-aa78e0a567e8',
      statusCode: 200,
      statusMessage: 'VM Deployed',
      resource: 'deployment',
      stage: 'VM_DEPLOYED',
      internalDeploymentId: 'my_dep_id',
      externalDeploymentId: '8d084aab-6a66-4a70-8f47-42b91f7477ac',
      deploymentName: 'MyDemoDepName',
      internalTenantId: 'SystemAdminTenantId',
      vm: {
        name: 'Sanity-vmware-de_ASA-1_0_b323effd-7f70-4055-b11e-0ef66f0a758d',
        uuid: '50217d2d-8afb-41c2-cffd-d76b1239f51d',
        group: 'ASA-1',
        hostName: '10.85.103.13',
        state: 'VM_INSERT_STATE',
        interfaces: [{ nicId: '1', network: 'MgtNetwork', ipAddress: '18.0.0.16', macAddress: '00:50:56:a1:6a:12', subnet: undefined, gateway: undefined }],
      },
    });
  });

  it('reads VM_ALIVE and SERVICE_ALIVE (no VM)', () => {
    const alive = fixture('callback_deploy_2_vm_alive.json');
    expect(parseEscCallback(alive.headers, alive.body)).toMatchObject({ stage: 'VM_ALIVE', vm: { state: 'VM_ALIVE_STATE', group: 'ASA-1' } });
    const service = fixture('callback_deploy_3_service_alive.json');
    const parsed = parseEscCallback(service.headers, service.body);
    expect(parsed).toMatchObject({ stage: 'SERVICE_ALIVE', statusCode: 200, statusMessage: 'Service group deployment completed successfully!' });
    expect(parsed.vm).toBeUndefined();
  });

  it('reads every interface of a VM with two NICs', () => {
    const { headers, body } = fixture('callback_update_vm_updated.json');
    expect(parseEscCallback(headers, body).vm?.interfaces.map((i) => [i.nicId, i.ipAddress])).toEqual([
      ['1', '18.0.0.17'],
      ['2', '18.0.1.18'],
    ]);
  });

  it('reads esc_event bodies (vm_source)', () => {
    const { headers, body } = fixture('callback_vm_operation_stop_complete.json');
    expect(parseEscCallback(headers, body)).toMatchObject({
      resource: 'esc_event',
      stage: 'VM_STOP_COMPLETE',
      vm: { group: 'overridegrp2', interfaces: [{ ipAddress: '192.168.0.135', gateway: '192.168.0.1' }] },
    });
  });

  it('accepts the transaction header in both spellings and any case', () => {
    expect(transactionIdOf({ ESC_TRANSACTION_ID: 'a' })).toBe('a');
    expect(transactionIdOf({ 'ESC-Transaction-Id': 'b' })).toBe('b');
    expect(transactionIdOf({ 'esc-transaction-id': 'c' })).toBe('c');
    expect(transactionIdOf({ esc_transaction_id: 'd' })).toBe('d');
    expect(transactionIdOf({})).toBeUndefined();
  });

  it('fails loudly on a body that is not XML', () => {
    expect(() => parseEscCallback({}, '<deployment><oops></deployment>')).toThrow(/Expected closing tag/);
  });
});

describe('stages', () => {
  it('classifies VM and service stages', () => {
    expect(['VM_DEPLOYED', 'SERVICE_ALIVE', 'CREATE_TENANT', undefined].map(classifyStage)).toEqual(['vm', 'service', 'other', 'other']);
  });

  it('never ranks an earlier VM stage above a later one', () => {
    expect(vmStageRank('VM_DEPLOYED')).toBeLessThan(vmStageRank('VM_ALIVE'));
    expect(vmStageRank('VM_ALIVE')).toBeLessThan(vmStageRank('VM_UNDEPLOYED'));
  });

  it('reads the scalar fields of a resource callback (CREATE_TENANT, CREATE_IMAGE)', () => {
    const tenant = fixture('callback_tenant_created.json');
    expect(parseEscCallback(tenant.headers, tenant.body)).toMatchObject({ resource: 'tenant', stage: 'CREATE_TENANT', statusCode: 200, fields: { internal_tenant_id: 'tentest', external_tenant_id: '484c620285ea4f588227ff3396215980', name: 'example-tenant' } });
    const image = fixture('callback_image_created.json');
    expect(parseEscCallback(image.headers, image.body).fields).toMatchObject({ internal_image_id: 'my_image_id', external_image_id: '5021843b-fcc5-2c1b-8fc4-935147f95872', event_type: 'CREATE_IMAGE' });
  });
});

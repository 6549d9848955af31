const str = { type: 'string' };
const CONNECTION_DRIFT = {
  type: 'object',
  properties: {
    connection: str,
    error: { ...str, description: 'ESC could not be asked; nothing is known of this connection' },
    orphans: { type: 'array', items: { type: 'object', properties: { internal_deployment_id: str, deployment_name: str, made_by_gateway: { type: 'boolean' }, was_of_instance: str } } },
    missing: { type: 'array', items: { type: 'object', properties: { service_instance_id: str, instance_name: str, internal_deployment_id: str, gateway_status: str } } },
    vm_states: { type: 'array', items: { type: 'object', properties: { service_instance_id: str, internal_deployment_id: str, vm_name: str, gateway_stage: { type: 'string', nullable: true }, esc_stage: { type: 'string', nullable: true } } } },
    resources: {
      type: 'object',
      description: "Tenants, networks, subnets, images, flavors and volumes: ESC's list of each kind the tenant's records have on this connection (per ESC tenant for the kinds that live in one)",
      properties: {
        orphans: { type: 'array', items: { type: 'object', properties: { kind: str, internal_id: str, name: str, esc_tenant: str, made_by_gateway: { type: 'boolean' }, deletable: { type: 'boolean' }, was_of_instance: str } } },
        missing: { type: 'array', items: { type: 'object', properties: { kind: str, service_instance_id: str, instance_name: str, internal_id: str, esc_tenant: str, gateway_status: str } } },
        errors: { type: 'array', items: str, description: 'Lists ESC could not give' },
      },
    },
  },
};

export const DRIFT_SCHEMA = { type: 'object', properties: { checked_at: { type: 'string', format: 'date-time' }, connections: { type: 'array', items: CONNECTION_DRIFT } } };

export const DRIFT_REPAIR_SCHEMA = {
  type: 'object',
  properties: {
    ...DRIFT_SCHEMA.properties,
    repaired: {
      type: 'object',
      properties: {
        vm_states_refreshed: { type: 'integer' },
        marked_gone: { type: 'integer' },
        orphans_deleted: { type: 'array', items: { type: 'object', properties: { connection: str, internal_deployment_id: str, http_status: { type: 'integer' } } } },
        resources: {
          type: 'object',
          properties: {
            marked_gone: { type: 'integer' },
            orphans_deleted: { type: 'array', items: { type: 'object', properties: { connection: str, kind: str, internal_id: str, http_status: { type: 'integer' } } } },
          },
        },
      },
    },
  },
};

export const DRIFT_EXAMPLE = {
  checked_at: '2026-12-01T22:00:00.000Z',
  connections: [
    {
      connection: 'default',
      orphans: [{ internal_deployment_id: 'ceg-3f1c2b4d-0b7f-4a1e-9d6a-6c7e7a395e6f', deployment_name: 'MyDemoDepName-3f1c2b4d-0b7f-4a1e-9d6a-6c7e7a395e6f', made_by_gateway: true, was_of_instance: 'edge-fw-01' }],
      missing: [],
      vm_states: [{ service_instance_id: '5b1b0c9e-2f4e-4c4a-9b8e-1d2c3b4a5f6e', internal_deployment_id: 'ceg-0b7f6c7e-7a39-4a1e-9d6a-3f1c2b4d5e6f', vm_name: 'MyDemoDepName_ASA_0', gateway_stage: 'VM_ALIVE', esc_stage: 'VM_STOPPED' }],
      resources: { orphans: [], missing: [{ kind: 'network', service_instance_id: '5b1b0c9e-2f4e-4c4a-9b8e-1d2c3b4a5f6e', instance_name: 'edge-fw-02', internal_id: 'ceg-7a395e6f-0b7f-4a1e-9d6a-3f1c2b4d6c7e', esc_tenant: 'ceg-2b4d5e6f-7a39-4a1e-9d6a-3f1c0b7f6c7e', gateway_status: 'Active' }], errors: [] },
    },
  ],
};

/** Request and response schemas of the instance lifecycle calls, with examples from the CAM seed. */
const str = { type: 'string' };
const obj = { type: 'object', additionalProperties: true };
const params = { type: 'object', additionalProperties: true, description: 'input parameter name → value; a masked value (*******) keeps the current one', example: { url: 'https://jsonplaceholder.typicode.com/todos/22' } };

export const STARTED_ACTION_SCHEMA = {
  type: 'object',
  required: ['name', 'Status', 'id', 'action', 'action_instance_id'],
  properties: {
    name: str,
    Status: { type: 'string', example: 'In_Progress' },
    id: { type: 'string', format: 'uuid' },
    action: { type: 'string', description: 'the action it runs', example: 'update' },
    action_instance_id: { type: 'string', format: 'uuid', description: 'its entry in actionInstanceDetails' },
  },
};

export const UPDATE_BODY = {
  type: 'object',
  required: ['update_details'],
  properties: { update_details: { type: 'object', required: ['instance_parameters'], properties: { instance_parameters: params } } },
  example: { update_details: { instance_parameters: { in1: 'https://jsonplaceholder.typicode.com/todos/22' } } },
};

const rerun = (key: string) => ({
  type: 'object',
  properties: {
    [key]: {
      type: 'object',
      properties: { is_partial: { type: 'boolean', description: 'only false: a partial run is not supported (400)' }, instance_parameters: params },
    },
  },
  example: { [key]: { is_partial: false, instance_parameters: { in1: 'https://jsonplaceholder.typicode.com/todos/22' } } },
});
export const RETRY_BODY = rerun('retry_details');
export const RESUME_BODY = rerun('resume_details');

const VERSION_CHANGE_PATH = {
  type: 'object',
  properties: { currentVersionId: str, fromVersionId: str, toVersionId: str, type: { type: 'string', enum: ['UPGRADE', 'DOWNGRADE'] }, tenantId: str, id: { type: 'string', description: 'the versionChangeId' }, fromVersion: str, toVersion: str },
};

const ACTION_HISTORY_ENTRY = {
  type: 'object',
  properties: {
    actionInstanceId: str,
    Status: { type: 'string', example: 'Active' },
    action_status: { type: 'string', enum: ['Queued', 'Submitted', 'In_Progress', 'Succeeded', 'Failed'] },
    instance_action: { type: 'string', example: 'Provision' },
    type: str,
    mode: { type: 'string', enum: ['deploy', 'update', 'retry', 'resume', 'version_change', 'flow', 'esc_operation', 'terminate'] },
    ordered_time: { type: 'integer', description: 'ms since the epoch' },
    processed_time: { type: 'string', format: 'date-time' },
    active_time: { type: 'string', format: 'date-time' },
    updated_time: { type: 'string', format: 'date-time' },
    versionChangeDetails: obj,
    input_parameters: obj,
    logs: { type: 'string', description: 'this action\'s own log' },
  },
};

export const INSTANCE_SCHEMA = {
  type: 'object',
  required: ['name', 'Status', 'id'],
  properties: {
    name: str,
    Status: { type: 'string', enum: ['Submitted', 'In_Progress', 'Active', 'Error', 'Terminating', 'Terminated'] },
    id: str,
    owner: str,
    serviceId: str,
    serviceManifestId: str,
    instance_plan: str,
    logs: { type: 'string', description: 'the current action\'s log' },
    action: str,
    power_state: { type: 'string', nullable: true, enum: ['Running', 'Stopped', 'Partially stopped', 'Degraded', null] },
    bind_array: obj,
    actionInstanceDetails: { type: 'array', items: ACTION_HISTORY_ENTRY },
    last_plan_action_instance_id: str,
    last_plan_action_instance_status: str,
    UpgradePaths: { type: 'array', items: VERSION_CHANGE_PATH, description: 'with filter[include]=UpgradePaths' },
    DowngradePaths: { type: 'array', items: VERSION_CHANGE_PATH, description: 'with filter[include]=DowngradePaths' },
    esc: { type: 'object', properties: { deployments: { type: 'array', items: obj }, resources: { type: 'array', items: obj } } },
  },
  additionalProperties: true,
};

export const INPUT_PARAMETERS_SCHEMA = {
  ...INSTANCE_SCHEMA,
  properties: {
    ...INSTANCE_SCHEMA.properties,
    InputParameters: {
      type: 'object',
      properties: {
        input_parameters: { type: 'array', items: { type: 'object', additionalProperties: true, properties: { name: str, value: {}, resolved_value: {} } } },
        pre_action_input_parameters: { type: 'array', items: obj },
        post_action_input_parameters: { type: 'array', items: obj },
      },
    },
  },
};

export const VERSION_CHANGE_ID_BODY = { type: 'object', required: ['versionChangeId'], properties: { versionChangeId: str }, example: { versionChangeId: '5e575d04dc44840015c80963' } };

export const VERSION_CHANGE_INPUT_SCHEMA = {
  type: 'object',
  properties: {
    VersionChangeInputParameters: {
      type: 'object',
      properties: {
        versionChangeId: str,
        toVersion: str,
        type: { type: 'string', enum: ['UPGRADE', 'DOWNGRADE'] },
        input_parameters: { type: 'array', items: obj },
        pre_action_input_parameters: { type: 'array', items: obj },
        post_action_input_parameters: { type: 'array', items: obj },
        new_parameters: { type: 'array', items: str, description: 'input parameters the new version has and the current one has not' },
        used_old_parameters: { type: 'array', items: str, description: 'input parameters of the current version the new one uses' },
        ignored_old_parameters: { type: 'array', items: str, description: 'input parameters of the current version the new one does not use' },
      },
    },
  },
  example: { VersionChangeInputParameters: { versionChangeId: '5e575d04dc44840015c80963', toVersion: '3.3.3.3', type: 'UPGRADE', input_parameters: [], pre_action_input_parameters: [], post_action_input_parameters: [], new_parameters: ['url2'], used_old_parameters: ['url'], ignored_old_parameters: ['nsxt_transport_zone'] } },
};

export const SUBMIT_VERSION_CHANGE_BODY = {
  type: 'object',
  required: ['versionChangeId'],
  properties: { versionChangeId: str, instance_parameters: params, pre_action_parameters: obj, post_action_parameters: obj, plan: { type: 'string', description: 'a plan of the target version; "" keeps the current plan' } },
  example: { versionChangeId: '5e575d04dc44840015c80963', instance_parameters: { url: 'https://jsonplaceholder.typicode.com/todos/1', url2: 'https://jsonplaceholder.typicode.com/todos/2' }, pre_action_parameters: {}, post_action_parameters: {}, plan: '' },
};

export const CUSTOM_ACTIONS_SCHEMA = {
  type: 'object',
  properties: {
    customActions: {
      type: 'array',
      items: { type: 'object', additionalProperties: true, properties: { type: str, name: str, description: str, pre_or_post: { type: 'boolean' }, builtin: { type: 'boolean', description: 'a built-in ESC operation' }, input_parameters: { type: 'array', items: obj }, flow: obj } },
    },
  },
  example: {
    customActions: [
      {
        type: 'custom',
        name: 'custom1',
        description: 'customaction',
        pre_or_post: false,
        input_parameters: [{ name: 'resthook_url', label: 'resthook_url', customtype: 'string', type: 'string', immutable: false, hidden: false, required: false, secured: false, isDynamic: false }],
        flow: {
          conditions: [],
          templates: [],
          resthooks: [{ resthook: { title: 'resthook_f428a5', id: 'resthook56a3f1fc', headers: { accept: 'application/json', 'Content-Type': 'application/json' }, editable: true, url: '${input_parameters.resthook_url}', method: 'GET' } }],
          notifications: [],
          sequence: { '0': 'resthook56a3f1fc' },
          error_sequence: {},
        },
        output_parameters: [],
      },
      { type: 'custom', name: 'esc_stop', description: "Stop every VM of the instance's ESC deployments", pre_or_post: false, builtin: true, esc_operation: { scope: 'service', request: 'SERVICE_STOP' }, input_parameters: [], flow: {}, output_parameters: [] },
    ],
  },
};

export const INVOKE_CUSTOM_ACTION_BODY = {
  type: 'object',
  required: ['customDetails'],
  properties: {
    customDetails: {
      type: 'object',
      required: ['currentCustomAction'],
      properties: { serviceInstanceId: str, name: { type: 'string', description: 'a name for this run' }, instance_parameters: params, currentCustomAction: { type: 'string', description: 'a name getCustomActions lists: the version\'s custom action, or esc_stop, esc_vm_reboot, ...' } },
    },
  },
  example: { customDetails: { name: 'actionInstanceName', instance_parameters: { resthook_url: 'https://jsonplaceholder.typicode.com/todos/33' }, currentCustomAction: 'custom1' } },
};

export const CREATE_BIND_BODY = {
  type: 'object',
  properties: { bindDetails: { type: 'object', properties: { name: { type: 'string', description: 'the bind instance\'s name (made from the instance\'s when absent)' }, instance_parameters: params } } },
  example: { bindDetails: { instance_parameters: { resturl2: 'https://jsonplaceholder.typicode.com/todos/33' } } },
};

export const TERMINATE_BIND_BODY = { type: 'object', required: ['name'], properties: { name: { type: 'string', description: 'the bind instance to unbind' } }, example: { name: 'my-instance-bind-1' } };

export const CLEANUP_BODY = {
  type: 'object',
  properties: { force: { type: 'boolean', description: 'false: only instances that are not Active; true: any, even with an action in progress' }, serviceInstanceId: str },
  example: { serviceInstanceId: '5cf0c20cbdf17d001786d1a9', force: true },
};

export const CLEANUP_LOCK_ERROR_EXAMPLE = {
  error: { statusCode: 419, name: 'Error', code: 'RESOURCE_LOCKED', message: 'ResourceLockError: Failed to obtain lock for resource stack_e19dd5d0-85f5-11e9-8609-cf2b57a8a189.; caused by Error: unable to obtain lock' },
};

export const CLEANUP_SCHEMA = { type: 'object', properties: { id: str, name: str, Status: { type: 'string', description: 'its Status when it was deleted' }, deleted: { type: 'boolean' }, force: { type: 'boolean' } } };

export const ESC_EVENT_SCHEMA = {
  type: 'object',
  properties: {
    id: str,
    received_time: { type: 'string', format: 'date-time' },
    stage: { type: 'string', example: 'VM_DOWN' },
    status_code: { type: 'integer', nullable: true },
    status_message: { type: 'string', nullable: true },
    internal_id: { type: 'string', nullable: true },
    outcome: str,
    detail: { type: 'string', nullable: true },
    vm_name: { type: 'string', nullable: true },
  },
};

/** Response schemas of the CAM calls (the fields the gateway answers; CAM's own names). */
const str = { type: 'string' };
const strArray = { type: 'array', items: str };
const obj = { type: 'object', additionalProperties: true };

export const SERVICE_VERSION_SCHEMA = {
  type: 'object',
  required: ['id', 'version', 'ServiceEngine_InputFile', 'service_id', 'status'],
  properties: {
    id: str,
    version: str,
    ServiceEngine_InputFile: { type: 'object', properties: { service: obj } },
    service_id: str,
    tenantId: str,
    namespaceId: str,
    author: str,
    specVersion: str,
    status: { type: 'string', enum: ['Draft', 'Published', 'Retired'] },
    publishedTime: { type: 'string', format: 'date-time' },
    retiredTime: { type: 'string', format: 'date-time' },
    retireOnDate: { type: 'string', format: 'date-time' },
    tags: { type: 'array', items: obj },
    systemTags: { type: 'boolean' },
    creationTime: { type: 'string', format: 'date-time' },
    lastUpdated: { type: 'string', format: 'date-time' },
    serviceInstanceCount: { type: 'integer', description: 'live (not Terminated) instances of this version' },
    actions: { type: 'array', items: obj },
    plans: { type: 'array', items: obj },
    warning: strArray,
  },
};

export const SERVICE_SCHEMA = {
  type: 'object',
  required: ['id', 'name'],
  properties: {
    id: str,
    name: str,
    serviceManifestId: { type: 'string', nullable: true, description: 'the default version' },
    author: str,
    image: str,
    category: str,
    status: str,
    creationTime: { type: 'string', format: 'date-time' },
    lastUpdated: { type: 'string', format: 'date-time' },
    namespaceId: str,
    namespaceIds: strArray,
    orgGuid: { type: 'string', description: 'ace_orgGuid it was created for (all: every team)' },
    spaceGuid: str,
    tenantId: str,
    description: str,
    longDescription: str,
  },
};

export const CREATED_SERVICE_SCHEMA = {
  type: 'object',
  properties: { ...SERVICE_SCHEMA.properties, defaultServiceVersion: SERVICE_VERSION_SCHEMA, warning: strArray },
};

export const SERVICE_LIST_ENTRY_SCHEMA = {
  type: 'object',
  properties: {
    ...SERVICE_SCHEMA.properties,
    displayName: str,
    specVersion: str,
    published: str,
    plans: { type: 'object', additionalProperties: str, description: 'plan name → version id' },
    tags: { type: 'array', items: obj },
    versions: { type: 'array', items: { type: 'object', properties: { id: str, version: str, status: str } } },
  },
};

export const WRAPPED_SERVICE_SCHEMA = { type: 'object', required: ['service'], properties: { service: SERVICE_SCHEMA } };
export const COUNT_SCHEMA = { type: 'object', required: ['count'], properties: { count: { type: 'string', example: '1' } } };

export const ICON_ENTRY_SCHEMA = {
  type: 'object',
  properties: { ContentTye: { type: 'string', description: "CAM's spelling" }, ContentType: str, name: str, id: str, size: { type: 'integer' } },
};
export const ICON_UPLOADED_SCHEMA = { type: 'object', properties: { res: { type: 'object', properties: { name: str, id: str } } } };

export const TEMPLATE_SCHEMA = {
  type: 'object',
  properties: {
    id: str,
    name: str,
    version: str,
    type: { type: 'string', enum: ['ESC'] },
    resource: str,
    placeholders: strArray,
    content: { type: 'string', description: 'only when one template is read' },
    tenantId: str,
    creationTime: { type: 'string', format: 'date-time' },
    lastUpdated: { type: 'string', format: 'date-time' },
    warning: strArray,
  },
};

export const ACTION_CREATED_SCHEMA = {
  type: 'object',
  properties: { ServiceEngine_InputFile: { type: 'object', properties: { service: obj } }, service_id: str, namespaceId: str, id: { type: 'string', description: 'the action id invokeAction takes' }, warning: strArray },
};
export const ACTION_INVOKED_SCHEMA = { type: 'object', properties: { actionInstance: { type: 'object', properties: { id: str } } } };
export const ACTION_INSTANCE_SCHEMA = {
  type: 'object',
  properties: {
    id: str,
    name: str,
    type: str,
    Status: { type: 'string', enum: ['Queued', 'Submitted', 'In_Progress', 'Succeeded', 'Failed'] },
    serviceInstanceId: str,
    serviceInstanceName: str,
    action_id: str,
    created: { type: 'string', format: 'date-time' },
    started: { type: 'string', format: 'date-time', nullable: true },
    finished: { type: 'string', format: 'date-time', nullable: true },
    log: str,
  },
};

/** OpenAPI schema and examples of /cam/api/v1/sharedparameters. */
import { SECURED_MASK } from './shared-parameter-values';

export const SHARED_PARAMETER_SCHEMA = {
  type: 'object',
  required: ['id', 'name', 'datatype', 'values', 'secured_keys'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    datatype: { type: 'string' },
    values: { type: 'object', additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] }, description: `secured values shown as "${SECURED_MASK}"` },
    secured_keys: { type: 'array', items: { type: 'string' } },
    tenantId: { type: 'string' },
    creationTime: { type: 'string', format: 'date-time' },
    lastUpdated: { type: 'string', format: 'date-time' },
  },
};

export const CREATE_SHARED_PARAMETER_EXAMPLE = {
  name: 'CorporateBastion',
  datatype: 'bastionhost',
  values: { bastion_host: 'bastion.example.com', bastion_port: 22, bastion_user: 'jump', bastion_password: 's3cret' },
  secured_keys: ['bastion_password'],
};

export const SHARED_PARAMETER_EXAMPLE = {
  id: '9d1f0a52-7c3e-4f0b-8e2a-5b6c7d8e9f01',
  ...CREATE_SHARED_PARAMETER_EXAMPLE,
  values: { ...CREATE_SHARED_PARAMETER_EXAMPLE.values, bastion_password: SECURED_MASK },
  tenantId: 'acme',
  creationTime: '2026-12-02T10:00:00.000Z',
  lastUpdated: '2026-12-02T10:00:00.000Z',
};

const str = { type: 'string' };
const int = { type: 'integer' };
const ESC_CONNECTIONS = {
  type: 'array',
  description: "the ESC connections its items run on: each bounds its requests in flight at once (max_in_flight; null: deleted since), in_flight: the tenant's requests being sent on it now",
  items: { type: 'object', required: ['name', 'max_in_flight', 'in_flight'], properties: { name: str, max_in_flight: { type: 'integer', nullable: true }, in_flight: int } },
};

export const BATCH_REQUEST_SCHEMA = {
  type: 'object',
  required: ['items'],
  description:
    'application/json. Or the same items as application/x-ndjson (one instance request per line) or text/csv (a header line: name, optionally plan, then one column per input parameter; an empty cell gives no value), streamed',
  properties: {
    items: {
      type: 'array',
      description: 'instance requests, each as deploy takes it (name, plan, resourceProperties.specifications); {name, parameters: {k: v}} is a shorter way to write one',
      items: { type: 'object', additionalProperties: true },
    },
    continue_on_invalid: { type: 'boolean', description: 'as the query parameter' },
    concurrency: { type: 'integer', minimum: 1, maximum: 1000, description: 'as the query parameter' },
  },
  example: { items: [{ name: 'branch-0001', parameters: { image: 'ASA' } }, { name: 'branch-0002', parameters: { image: 'ASA' } }], concurrency: 20 },
};

export const BATCH_SUBMITTED_SCHEMA = {
  type: 'object',
  properties: {
    batch_id: { ...str, format: 'uuid' },
    state: str,
    concurrency: int,
    total: int,
    valid: int,
    invalid_count: int,
    invalid: { type: 'array', description: 'the first 100 invalid items (with continue_on_invalid)', items: { type: 'object', properties: { index: int, name: str, error: str } } },
    esc_connections: ESC_CONNECTIONS,
  },
};

export const BATCH_SCHEMA = {
  type: 'object',
  properties: {
    id: { ...str, format: 'uuid' },
    service_version_id: { ...str, format: 'uuid' },
    state: { ...str, description: 'Running, Cancelled, Done' },
    concurrency: int,
    total: int,
    invalid: int,
    counts: { type: 'object', additionalProperties: int, description: 'items by what they show: Pending (not started), Invalid, Cancelled, or their instance Status' },
    running: { ...int, description: 'items whose action runs now' },
    esc_connections: ESC_CONNECTIONS,
    created_at: { ...str, format: 'date-time' },
    updated_at: { ...str, format: 'date-time' },
    items: { type: 'array', items: { type: 'object', properties: { index: int, name: str, instance_id: { type: 'string', nullable: true }, status: str, error: { type: 'string', nullable: true } } } },
    limit: int,
    skip: int,
  },
};

const { items: _items, limit: _limit, skip: _skip, esc_connections: _connections, ...summary } = BATCH_SCHEMA.properties;
/** A batch in the list: its counts, not its items. */
export const BATCH_SUMMARY_SCHEMA = { type: 'object', properties: summary };

export const BATCH_CANCELLED_SCHEMA = { type: 'object', properties: { id: { ...str, format: 'uuid' }, cancelled: int, state: str } };

export const BATCH_RERUN_SCHEMA = {
  type: 'object',
  properties: {
    id: { ...str, format: 'uuid' },
    queued: { ...int, description: 'items whose action now waits for its turn' },
    cancelled: { ...int, description: 'terminate: items not started, cancelled' },
    skipped_count: int,
    skipped: { type: 'array', items: { type: 'object', properties: { index: int, error: str } } },
    state: str,
  },
};

import { DomainException } from '@cam-esc/errors';
import { CamAction, CamServiceDocument, DEFAULT_CATEGORY, DEFAULT_VERSION } from './service-document';

export interface NormalizedService {
  document: CamServiceDocument;
  /** CAM's own warnings, word for word (missing category / version). */
  warnings: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const invalid = (path: string, rule: string) => DomainException.invalid(`${path}: ${rule}`, { field: path });

/**
 * Checks the structure of a createService payload (`{ service: {...} }`) and fills CAM's defaults.
 * Structural errors are 400s naming the field; semantic gaps CAM tolerates become warnings.
 */
export function normalizeServiceDocument(body: unknown): NormalizedService {
  if (!isObject(body) || !isObject(body.service)) throw invalid('service', 'is required and must be an object');
  const doc = structuredClone(body.service) as unknown as CamServiceDocument;
  const warnings: string[] = [];

  if (!isObject(doc.catalog_metadata)) throw invalid('service.catalog_metadata', 'is required and must be an object');
  const name = doc.catalog_metadata.name;
  if (typeof name !== 'string' || !name.trim()) throw invalid('service.catalog_metadata.name', 'is required and must be a non-empty string');
  if (name.length > 255) throw invalid('service.catalog_metadata.name', 'must be at most 255 characters');
  for (const field of ['description', 'longDescription', 'image', 'author', 'category'] as const) {
    const value = doc.catalog_metadata[field];
    if (value !== undefined && value !== null && typeof value !== 'string') throw invalid(`service.catalog_metadata.${field}`, 'must be a string');
  }

  if (!doc.catalog_metadata.category) {
    doc.catalog_metadata.category = DEFAULT_CATEGORY;
    warnings.push(`No 'Category' is provided in the source code. Assigning the service to '${DEFAULT_CATEGORY}' \n`);
  }
  if (doc.version !== undefined && (typeof doc.version !== 'string' || !/^[0-9A-Za-z._-]{1,64}$/.test(doc.version))) {
    throw invalid('service.version', 'must be a string of 1..64 characters of 0-9 A-Z a-z . _ -');
  }
  if (!doc.version) {
    doc.version = DEFAULT_VERSION;
    warnings.push(`No 'version' is provided in the source code. Assigning the service, the default version '${DEFAULT_VERSION}' \n`);
  }

  if (doc.tags !== undefined) checkParameters(doc.tags, 'service.tags');
  if (!Array.isArray(doc.actions)) throw invalid('service.actions', 'is required and must be an array');
  const actionNames = new Set<string>();
  doc.actions.forEach((action, i) => {
    checkAction(action, `service.actions[${i}]`);
    if (actionNames.has(action.name)) throw invalid(`service.actions[${i}].name`, `'${action.name}' is used by two actions`);
    actionNames.add(action.name);
  });

  if (doc.plans === undefined) doc.plans = [{ name: 'Standard', description: 'To deploy a Standard plan', actions: [], plan_parameters: [] }];
  if (!Array.isArray(doc.plans)) throw invalid('service.plans', 'must be an array');
  doc.plans.forEach((plan, i) => {
    if (!isObject(plan) || typeof plan.name !== 'string' || !plan.name) throw invalid(`service.plans[${i}].name`, 'is required and must be a string');
    if (plan.plan_parameters !== undefined) checkParameters(plan.plan_parameters, `service.plans[${i}].plan_parameters`);
  });
  return { document: doc, warnings };
}

function checkAction(action: CamAction, path: string): void {
  if (!isObject(action)) throw invalid(path, 'must be an object');
  if (typeof action.name !== 'string' || !action.name) throw invalid(`${path}.name`, 'is required and must be a string');
  if (typeof action.type !== 'string' || !action.type) throw invalid(`${path}.type`, 'is required and must be a string (provision, custom, ...)');
  if (action.input_parameters !== undefined) checkParameters(action.input_parameters, `${path}.input_parameters`);
  if (action.flow === undefined) return;
  if (!isObject(action.flow)) throw invalid(`${path}.flow`, 'must be an object');
  const { templates, resthooks } = action.flow;
  if (templates !== undefined && !Array.isArray(templates)) throw invalid(`${path}.flow.templates`, 'must be an array');
  (templates ?? []).forEach((entry, j) => {
    const keys = isObject(entry) ? Object.keys(entry) : [];
    if (keys.length !== 1 || !isObject(entry[keys[0]])) {
      throw invalid(`${path}.flow.templates[${j}]`, 'must be an object with exactly one key (the template title) holding the template step');
    }
    const step = entry[keys[0]];
    const stepPath = `${path}.flow.templates[${j}].${keys[0]}`;
    if (typeof step.id !== 'string' || !step.id) throw invalid(`${stepPath}.id`, 'is required and must be a string');
    for (const field of ['template_name', 'version', 'template_type'] as const) {
      if (step[field] !== undefined && typeof step[field] !== 'string') throw invalid(`${stepPath}.${field}`, `must be a string${field === 'version' ? ' (write "1.0", not 1.0)' : ''}`);
    }
    if (step.template_params !== undefined && !isObject(step.template_params)) {
      throw invalid(`${stepPath}.template_params`, 'must be an object');
    }
  });
  if (resthooks !== undefined && !Array.isArray(resthooks)) throw invalid(`${path}.flow.resthooks`, 'must be an array');
  const { notifications } = action.flow;
  if (notifications !== undefined && (!Array.isArray(notifications) || !notifications.every(isObject))) {
    throw invalid(`${path}.flow.notifications`, 'must be an array of objects such as {"emailnotification": {...}}');
  }
  (resthooks ?? []).forEach((entry, j) => {
    if (!isObject(entry) || !isObject(entry.resthook) || typeof entry.resthook.id !== 'string') {
      throw invalid(`${path}.flow.resthooks[${j}].resthook.id`, 'is required and must be a string');
    }
  });
  const ids = new Set<string>();
  const stepIds = [
    ...(templates ?? []).map((entry) => (Object.values(entry)[0] as { id: string }).id),
    ...(resthooks ?? []).map((entry) => entry.resthook.id),
  ];
  for (const id of stepIds) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw invalid(`${path}.flow`, `step id '${id.slice(0, 80)}' must be 1..64 of A-Z a-z 0-9 _ - (later steps refer to it as \${templates.<step id>.<output>})`);
    if (ids.has(id)) throw invalid(`${path}.flow`, `step id '${id}' is used by two steps; each template and resthook needs its own`);
    ids.add(id);
  }
  for (const which of ['sequence', 'error_sequence'] as const) checkSequence(action.flow[which], `${path}.flow.${which}`);
}

function checkSequence(sequence: unknown, path: string): void {
  if (sequence === undefined) return;
  if (!isObject(sequence)) throw invalid(path, 'must be an object of position → step id');
  const seen = new Set<string>();
  for (const [pos, id] of Object.entries(sequence)) {
    if (!/^\d{1,6}$/.test(pos)) throw invalid(`${path}.${pos.slice(0, 40)}`, 'a position is a whole number ("0", "1", ...)');
    if (typeof id !== 'string') throw invalid(`${path}.${pos}`, 'must be a step id (a string)');
    if (seen.has(id)) throw invalid(`${path}.${pos}`, `names '${id}' a second time; a step runs once per sequence`);
    seen.add(id);
  }
}

function checkParameters(params: unknown, path: string): void {
  if (!Array.isArray(params)) throw invalid(path, 'must be an array');
  params.forEach((p, i) => {
    if (!isObject(p) || typeof p.name !== 'string' || !p.name) throw invalid(`${path}[${i}].name`, 'is required and must be a string');
    if (p.range !== undefined) {
      const r = p.range;
      const bound = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
      if (!isObject(r) || !bound(r.min) || !bound(r.max)) throw invalid(`${path}[${i}].range`, 'must be {"min": <number>, "max": <number>} (either may be left out)');
      if (typeof r.min === 'number' && typeof r.max === 'number' && r.min > r.max) throw invalid(`${path}[${i}].range`, `min ${r.min} is above max ${r.max}`);
    }
  });
}

import { XmlElement, XmlReadError, childElements, localName, readXmlDocument, textOf } from '../../common/xml-tree';
import { OPERATION_NAMES, OperationName } from './operation-kinds';

/** The request body is not a usable operation document; the message is sent back with a 400. */
export class OperationBodyError extends Error {}

export interface RecoveryBody {
  checkVmBeforeRecovery: boolean;
}

export interface SnapshotBody {
  name: string;
}

/** <service_operation><operation>stop</operation></service_operation>, in any namespace or none. */
export function parseServiceOperation(body: unknown): OperationName {
  return operationName(read(body, 'service_operation'));
}

/** <vm_operation><operation>stop</operation></vm_operation>, in any namespace or none. */
export function parseVmOperation(body: unknown): OperationName {
  return operationName(read(body, 'vm_operation'));
}

/**
 * The reference gives this payload as {operation, checkVmBeforeRecovery, properties} with no XML
 * example, so any root is accepted (e.g. <recovery_vm_operation>); operation must be recovery_do.
 */
export function parseRecoveryOperation(body: unknown): RecoveryBody {
  const document = read(body);
  assertOperation(document, 'recovery_do');
  const check = leaf(document, 'checkVmBeforeRecovery');
  if (check !== undefined && check !== 'true' && check !== 'false') {
    throw new OperationBodyError(`${document.root}/checkVmBeforeRecovery must be true or false, got '${check}'`);
  }
  return { checkVmBeforeRecovery: check === 'true' };
}

/** Any root (e.g. <snapshot_vm_operation>) with <operation>snapshot</operation> and a <name>. */
export function parseSnapshotOperation(body: unknown): SnapshotBody {
  const document = read(body);
  assertOperation(document, 'snapshot');
  const name = leaf(document, 'name');
  if (name === undefined) throw new OperationBodyError(`${document.root}/name is required`);
  return { name };
}

interface OperationDocument {
  /** Local name of the root element, for messages. */
  root: string;
  element: XmlElement;
}

function read(body: unknown, expectedRoot?: string): OperationDocument {
  const what = expectedRoot ? `a <${expectedRoot}>` : 'an';
  if (typeof body !== 'string' || body.trim() === '') {
    throw new OperationBodyError(`Request body is empty: ${what} XML document is required`);
  }
  let document: ReturnType<typeof readXmlDocument>;
  try {
    document = readXmlDocument(body);
  } catch (error) {
    if (error instanceof XmlReadError) throw new OperationBodyError(error.message);
    throw error;
  }
  const root = localName(document.rootTag);
  if (expectedRoot !== undefined && root !== expectedRoot) {
    throw new OperationBodyError(`Root element must be ${expectedRoot}, got ${document.rootTag}`);
  }
  return { root, element: document.root };
}

function operationName(document: OperationDocument): OperationName {
  const operation = leaf(document, 'operation');
  if (operation === undefined) throw new OperationBodyError(`${document.root}/operation is required`);
  if (!(OPERATION_NAMES as readonly string[]).includes(operation)) {
    throw new OperationBodyError(`${document.root}/operation must be one of ${OPERATION_NAMES.join(', ')}, got '${operation}'`);
  }
  return operation as OperationName;
}

function assertOperation(document: OperationDocument, expected: string): void {
  const operation = leaf(document, 'operation');
  if (operation === undefined) throw new OperationBodyError(`${document.root}/operation is required`);
  if (operation !== expected) {
    throw new OperationBodyError(`${document.root}/operation must be ${expected}, got '${operation}'`);
  }
}

/** Text of a child element (whatever its prefix); undefined when absent or empty. */
function leaf(document: OperationDocument, name: string): string | undefined {
  const values = childElements(document.element, name);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new OperationBodyError(`${document.root}/${name} must appear at most once, found ${values.length}`);
  const text = textOf(values[0]);
  if (text === undefined) throw new OperationBodyError(`${document.root}/${name} must be a text value, not an element with children`);
  return text === '' ? undefined : text;
}

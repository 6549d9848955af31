import { EscOperation } from './esc-operation';
import { SERVICE_OPERATIONS } from './service-operation';
import { VM_OPERATIONS } from './vm-operation';

/** Every built-in ESC operation, in the order getCustomActions lists them. */
export const ESC_OPERATIONS: readonly EscOperation[] = [...SERVICE_OPERATIONS, ...VM_OPERATIONS];

const byName = new Map(ESC_OPERATIONS.map((o) => [o.name, o]));
const byRequestName = new Map(ESC_OPERATIONS.map((o) => [o.requestName, o]));

export function escOperationNamed(name: string): EscOperation | undefined {
  return byName.get(name);
}

/** The operation an esc_request.operation names (SERVICE_STOP, VM_RECOVERY, ...), if it is one. */
export function escOperationOfRequest(operation: string): EscOperation | undefined {
  return byRequestName.get(operation);
}

import { maskSecrets, securedValues } from '@cam-esc/catalog';
import { ActionInstance, Tx } from '@cam-esc/persistence';

/**
 * Appends a line to an action's log (what CAM shows as the instance's `logs`). Lines may quote
 * ESC, so every secured parameter value of the action (as is, or XML-escaped as ESC would echo
 * it) is masked first. Pass the action when it is at hand, to spare a read.
 */
export async function appendActionLog(tx: Tx, action: string | Pick<ActionInstance, 'id' | 'parameters' | 'securedNames'>, line: string): Promise<void> {
  const secrets =
    typeof action === 'string' ? await tx.actionInstance.findUnique({ where: { id: action }, select: { parameters: true, securedNames: true } }) : action;
  const id = typeof action === 'string' ? action : action.id;
  const masked = secrets ? maskSecuredValues(line, secrets.parameters, secrets.securedNames) : line;
  await tx.$executeRaw`UPDATE action_instance SET log = log || ${`\n${new Date().toISOString()} ${masked}`}, updated_at = now() WHERE id = ${id}::uuid`;
}

export function maskSecuredValues(line: string, parameters: unknown, securedNames: string[]): string {
  return maskSecrets(line, securedValues(parameters, securedNames));
}

import { maskSecrets, securedValues } from '@cam-esc/catalog';
import { ActionInstance, appendLogLine, Tx } from '@cam-esc/persistence';
import { LRUCache } from 'lru-cache';

/**
 * Appends a line to an action's log (what CAM shows as the instance's `logs`). Lines may quote
 * ESC, so every secured parameter value of the action (as is, or XML-escaped as ESC would echo
 * it) is masked first. Pass the action when it is at hand, to spare a read.
 */
export async function appendActionLog(tx: Tx, action: string | Pick<ActionInstance, 'id' | 'parameters' | 'securedNames'>, line: string): Promise<void> {
  const id = typeof action === 'string' ? action : action.id;
  const secrets = typeof action === 'string' ? await securedValuesOf(tx, id) : securedValues(action.parameters, action.securedNames);
  // the log and the live progress event, in one statement
  await appendLogLine(tx, id, maskSecrets(line, secrets));
}

/**
 * An action's parameters are fixed when it is submitted: its secured values are read once per
 * action (not once per log line), and only the most recent actions' are kept.
 */
const securedByAction = new LRUCache<string, string[]>({ max: 2000 });

async function securedValuesOf(tx: Tx, actionId: string): Promise<string[]> {
  const known = securedByAction.get(actionId);
  if (known) return known;
  const row = await tx.actionInstance.findUnique({ where: { id: actionId }, select: { parameters: true, securedNames: true } });
  const values = row ? securedValues(row.parameters, row.securedNames) : [];
  if (row) securedByAction.set(actionId, values);
  return values;
}

export function maskSecuredValues(line: string, parameters: unknown, securedNames: string[]): string {
  return maskSecrets(line, securedValues(parameters, securedNames));
}

import { maskSecrets, securedValues } from '@cam-esc/catalog';
import { appendLogLine, Tx } from '@cam-esc/persistence';
import { openActionParameters, SecretBox } from '@cam-esc/secrets';
import { LRUCache } from 'lru-cache';

/**
 * The worker's SecretBox, to open the actions' sealed secured values for masking. Set once at start
 * (ActionSecretsBoot): the log helpers below are plain functions called with a transaction from
 * every step, callback and reconciliation, and are not handed the box each time.
 */
let box: SecretBox | undefined;

export function openActionSecretsWith(worker: SecretBox): void {
  box = worker;
}

/**
 * Appends a line to an action's log (what CAM shows as the instance's `logs`). Lines may quote
 * ESC, so every secured parameter value of the action (as is, or XML-escaped as ESC would echo
 * it) is masked first.
 */
export async function appendActionLog(tx: Tx, action: string | { id: string }, line: string): Promise<void> {
  const id = typeof action === 'string' ? action : action.id;
  // the log and the live progress event, in one statement
  await appendLogLine(tx, id, await maskActionSecrets(tx, id, line));
}

/** The text with the action's secured values masked (ESC's words, an answer, before they are stored). */
export async function maskActionSecrets(tx: Tx, actionId: string, text: string): Promise<string> {
  return maskSecrets(text, await actionSecrets(tx, actionId));
}

/**
 * An action's parameters are fixed when it is submitted: its secured values are read (and opened)
 * once per action, not once per log line, and only the most recent actions' are kept.
 */
const securedByAction = new LRUCache<string, string[]>({ max: 2000 });

export async function actionSecrets(tx: Tx, actionId: string): Promise<string[]> {
  const known = securedByAction.get(actionId);
  if (known) return known;
  const row = await tx.actionInstance.findUnique({ where: { id: actionId }, select: { parameters: true, securedNames: true, secretsSealed: true } });
  if (!row) return [];
  if (row.secretsSealed && !box) throw new Error('the worker has no SecretBox to open secured values with (openActionSecretsWith was not called)');
  const values = securedValues(row.secretsSealed ? openActionParameters(box!, row) : row.parameters, row.securedNames);
  securedByAction.set(actionId, values);
  return values;
}

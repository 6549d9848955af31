import { ActionInstance, Tx } from '@cam-esc/persistence';

const MASK = '********';

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
  if (securedNames.length === 0) return line;
  const bags = parameters as { input_parameters?: Record<string, unknown>; plan_parameters?: Record<string, unknown> };
  const values = securedNames
    .flatMap((name) => [bags.input_parameters?.[name], bags.plan_parameters?.[name]])
    .filter((v): v is string | number => (typeof v === 'string' && v.length > 0) || typeof v === 'number')
    .map(String);
  let masked = line;
  for (const value of values.sort((a, b) => b.length - a.length)) {
    for (const form of new Set([value, escapeXml(value)])) masked = masked.replaceAll(form, MASK);
  }
  return masked;
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

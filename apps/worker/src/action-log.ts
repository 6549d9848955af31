import { Tx } from '@cam-esc/persistence';

/**
 * Appends a line to an action's log (what CAM shows as the instance's `logs`). Lines are facts
 * about the run, never parameter values: those may be secrets.
 */
export async function appendActionLog(tx: Tx, actionInstanceId: string, line: string): Promise<void> {
  await tx.$executeRaw`UPDATE action_instance SET log = log || ${`\n${new Date().toISOString()} ${line}`}, updated_at = now() WHERE id = ${actionInstanceId}::uuid`;
}

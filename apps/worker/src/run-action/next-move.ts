import { EscRequestStatus, OPEN_ESC_REQUEST_STATUSES } from '@cam-esc/instances';
import { ActionInstance, Tx } from '@cam-esc/persistence';

/** What to do once the instance lock is released. */
export type NextMove = { kind: 'idle' } | { kind: 'send'; requestId: string } | { kind: 'watch'; requestId: string } | { kind: 'again'; trigger: string };

export const IDLE: NextMove = { kind: 'idle' };

/** This action's request for the resource, if still out: re-send it while nobody has taken it, else wait. */
export async function openRequestMove(tx: Tx, action: Pick<ActionInstance, 'id'>, escResourceId: string): Promise<NextMove | undefined> {
  const open = await tx.escRequest.findFirst({
    where: { escResourceId, actionInstanceId: action.id, status: { in: [...OPEN_ESC_REQUEST_STATUSES] } },
    orderBy: { createdAt: 'desc' },
  });
  if (!open) return undefined;
  return open.status === EscRequestStatus.Pending ? { kind: 'send', requestId: open.id } : { kind: 'watch', requestId: open.id };
}

import { Injectable, Logger } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { ActionParameters, operationName, PlannedStep, StepPhase, StepRequest, stepKind } from '@cam-esc/flow';
import { ActionDetails, ActionMode, EscRequestStatus, EscResourceStatus, PROVISION_SCOPE, StepProgress } from '@cam-esc/instances';
import { ActionInstance, Prisma, Tx } from '@cam-esc/persistence';
import { appendActionLog } from '../action-log';
import { ResourceWithVms, WITH_VMS } from '../esc-requests/step-outputs';
import { finishAction } from './action-outcome';
import { IDLE, NextMove, openRequestMove } from './next-move';
import { StepStarter } from './step-starter';
import { deletionOrder } from './terminate-moves';

/** A step's move: go on to the next step, read the resources again and go on, or do this. */
type StepMove = NextMove | 'next' | 'reread';

const GONE: string[] = [EscResourceStatus.Undeployed, EscResourceStatus.Rejected];

/**
 * Runs a flow step by step: its main sequence, then, once a step failed, its error_sequence. How
 * a step that already has a resource is taken depends on the run's mode (ActionMode): a deploy and
 * a custom flow make every step; an update, retry and version change render each step again and
 * update only what changed (replacing what ESC cannot update); a resume skips what is done; a
 * retry or resume makes again what failed. A version change then deletes the steps the new flow
 * no longer has. Every decision is taken again from the stored state on each run, so running it
 * twice for the same state is safe.
 */
@Injectable()
export class FlowMoves {
  private readonly logger = new Logger(FlowMoves.name);

  constructor(private readonly starter: StepStarter) {}

  async next(tx: Tx, tenantId: string, action: ActionInstance): Promise<NextMove> {
    const plan = (action.parameters as unknown as Partial<ActionParameters>).plan;
    if (!plan) throw DomainException.invalid('the action has no planned steps (it was submitted by an older gateway); deploy again');
    const details = action.details as ActionDetails;
    const mode = details.mode ?? ActionMode.Deploy;
    const run: Run = { tx, tenantId, action, mode, scope: details.scope ?? (mode === ActionMode.Flow ? action.id : PROVISION_SCOPE), progress: { ...(action.progress as Record<string, string>) }, rows: [] };
    if (mode === ActionMode.Resume && details.rerunOf) {
      const resumed = await tx.actionInstance.findUnique({ where: { id: details.rerunOf }, select: { id: true, progress: true } });
      if (resumed) run.resumed = { id: resumed.id, progress: resumed.progress as Record<string, string> };
    }
    run.rows = await this.read(run);
    const phase: StepPhase = action.failure === null ? 'main' : 'error';
    for (const step of plan.filter((s) => s.phase === phase)) {
      const live = liveResource(run, step.id);
      let move: StepMove;
      try {
        move = phase === 'main' ? await this.mainStep(run, step, live) : await this.errorStep(run, step, live);
      } catch (e) {
        if (!(e instanceof DomainException) || phase === 'main') throw e;
        // an error step that cannot even start is recorded as such, and the next one runs
        await this.starter.recordUnstartable(tx, action, step, e.message, run.scope);
        await this.mark(run, step.id, 'unstartable');
        move = 'reread';
      }
      if (move === 'next') continue;
      if (move === 'reread') {
        run.rows = await this.read(run); // the next step may read this one's outputs
        continue;
      }
      return move;
    }
    if (action.failure !== null) {
      await finishAction(tx, action, false, `${action.name} failed: ${action.failure} (the error_sequence has run)`);
      return IDLE;
    }
    // a version change (or a rerun of one) ends with the old flow's steps the new one has not
    if (mode === ActionMode.VersionChange || (details.versionChangeDetails && (mode === ActionMode.Retry || mode === ActionMode.Resume))) {
      const gone = await this.deleteWhatIsGone(run, plan);
      if (gone) return gone;
    }
    await finishAction(tx, action, true, `${action.name} completed: every step is done`);
    this.logger.log({ serviceInstanceId: action.serviceInstanceId, actionInstanceId: action.id }, `${action.name} completed`);
    return IDLE;
  }

  private async mainStep(run: Run, step: PlannedStep, live: ResourceWithVms | undefined): Promise<StepMove> {
    const { tx, action, mode } = run;
    if (!live || GONE.includes(live.status)) {
      if (live && live.status === EscResourceStatus.Rejected && (mode === ActionMode.Deploy || mode === ActionMode.Flow)) throw stepIs(step, live);
      return { kind: 'send', requestId: await this.starter.start(tx, run.tenantId, action, step, run.rows, run.scope) };
    }
    const open = await openRequestMove(tx, action, live.id);
    if (open) return open;
    if (mode === ActionMode.Deploy || mode === ActionMode.Flow) {
      if (live.status === EscResourceStatus.Active) return 'next';
      // still being made (its callback will run the flow on), or failed (the failure is being handled)
      if (live.status === EscResourceStatus.Creating || live.status === EscResourceStatus.Deploying) return IDLE;
      throw stepIs(step, live);
    }
    const latest = await tx.escRequest.findFirst({ where: { escResourceId: live.id }, orderBy: { createdAt: 'desc' }, select: { actionInstanceId: true, status: true } });
    const madeByThisRun = latest?.actionInstanceId === action.id;
    if (live.sequenceNo !== step.sequenceNo) {
      // the flow was reordered (a version change): terminate undoes the steps in their new order
      await tx.escResource.update({ where: { id: live.id }, data: { sequenceNo: step.sequenceNo } });
      live.sequenceNo = step.sequenceNo;
    }
    if (live.status === EscResourceStatus.Active) {
      if ((madeByThisRun && latest?.status === EscRequestStatus.Succeeded) || run.progress[step.id]) return 'next';
      // a resume skips what the run it resumes had done; the steps after its failure are brought up to date
      const doneByResumed = run.resumed && ((latest?.actionInstanceId === run.resumed.id && latest.status === EscRequestStatus.Succeeded) || run.resumed.progress[step.id]);
      if (doneByResumed) {
        await this.mark(run, step.id, StepProgress.Reused, `step '${step.id}': done by the run it resumes (${live.kind} ${live.name}); skipped`);
        return 'next';
      }
      return this.updateStep(run, step, live);
    }
    // in Error, or left half-made by an earlier action that ended
    if (mode === ActionMode.Retry || mode === ActionMode.Resume) return this.replace(run, step, live, `${live.kind} ${live.internalId} is ${live.status}: it is deleted and made again`);
    throw DomainException.invalid(`step '${step.id}': ${live.kind} ${live.internalId} is ${live.status}; retry or resume the instance to make it again`);
  }

  /** Update, retry, version change: the step rendered again as the same resource, and changed only if its rendering did. */
  private async updateStep(run: Run, step: PlannedStep, live: ResourceWithVms): Promise<StepMove> {
    if (live.kind !== step.kind) return this.replace(run, step, live, `the step now makes a ${step.kind}, not a ${live.kind}: the ${live.kind} is deleted and a ${step.kind} made`);
    if (stepKind(step.kind).transport === 'esc' && step.connection !== live.connectionName) {
      return this.replace(run, step, live, `the step now runs on ESC connection '${step.connection}', not '${live.connectionName}': its ${live.kind} is deleted there and made here`);
    }
    const { rendered } = await this.starter.render(run.tx, run.tenantId, run.action, step, run.rows, live);
    const kind = stepKind(live.kind);
    const baseline = await run.tx.escRequest.findFirst({
      where: { escResourceId: live.id, status: EscRequestStatus.Succeeded, operation: { in: [operationName('create', live.kind), operationName('update', live.kind)] } },
      orderBy: { createdAt: 'desc' },
      select: { method: true, path: true, pathSealed: true, body: true, bodySealed: true, headers: true, headersSealed: true },
    });
    const request = rendered.request;
    // compared as sent, secured values included
    const sent = baseline && { method: baseline.method, ...this.starter.opened(baseline) };
    const unchanged = sent && (kind.transport === 'esc' ? sent.body === (request.body ?? null) : sameCall(sent, request));
    if (unchanged) {
      await this.mark(run, step.id, StepProgress.Unchanged, `step '${step.id}': ${live.kind} ${live.name} renders as before; left alone`);
      return 'next';
    }
    const update = kind.transport === 'esc' ? kind.updateRequest(live, request.body ?? '') : request;
    if (!update) return this.replace(run, step, live, `its rendering changed and ESC cannot update a ${live.kind} in place: it is deleted and made again`);
    return { kind: 'send', requestId: await this.starter.startUpdate(run.tx, run.action, live, update, kind.transport === 'esc' ? 'rendering changed' : 'its call changed; called again') };
  }

  /** Error steps run once per run: what an earlier run made for the step stays, and a new one is made. */
  private async errorStep(run: Run, step: PlannedStep, live: ResourceWithVms | undefined): Promise<StepMove> {
    if (run.progress[step.id]) return 'next';
    if (live) {
      const open = await openRequestMove(run.tx, run.action, live.id);
      if (open) return open;
      const ours = await run.tx.escRequest.count({ where: { escResourceId: live.id, actionInstanceId: run.action.id } });
      // a failing error step was logged when it failed: the next one runs
      if (ours > 0) return 'next';
    }
    return { kind: 'send', requestId: await this.starter.start(run.tx, run.tenantId, run.action, step, run.rows, run.scope) };
  }

  /** Deletes what a step made, so that the step is made anew once it is gone (at once when ESC holds nothing of it). */
  private async replace(run: Run, step: PlannedStep, live: ResourceWithVms, why: string): Promise<StepMove> {
    await appendActionLog(run.tx, run.action, `step '${live.stepId}': ${why}`);
    const requestId = await this.starter.undo(run.tx, run.action, live);
    if (requestId) return { kind: 'send', requestId };
    return { kind: 'send', requestId: await this.starter.start(run.tx, run.tenantId, run.action, step, run.rows, run.scope) };
  }

  /** Version change: what the old flow made and the new one no longer has is deleted, last step first. */
  private async deleteWhatIsGone(run: Run, plan: PlannedStep[]): Promise<NextMove | undefined> {
    const kept = new Set(plan.map((s) => s.id));
    const gone = deletionOrder(run.rows.filter((r) => r.scope === PROVISION_SCOPE && !kept.has(r.stepId) && r.status !== EscResourceStatus.Undeployed));
    for (const resource of gone) {
      const open = await openRequestMove(run.tx, run.action, resource.id);
      if (open) return open;
      if (!run.progress[`gone:${resource.id}`]) {
        await this.mark(run, `gone:${resource.id}`, 'deleted', `step '${resource.stepId}' is not in the new version's flow: its ${resource.kind} ${resource.name} is deleted`);
      }
      const requestId = await this.starter.undo(run.tx, run.action, resource);
      if (requestId) return { kind: 'send', requestId };
    }
    return undefined;
  }

  private async mark(run: Run, key: string, value: string, line?: string): Promise<void> {
    run.progress[key] = value;
    await run.tx.actionInstance.update({ where: { id: run.action.id }, data: { progress: run.progress as Prisma.InputJsonValue } });
    if (line) await appendActionLog(run.tx, run.action, line);
  }

  /** The instance's resources a run sees: its flow's and, for a custom flow, its own (those last, so they win). */
  private async read(run: Run): Promise<ResourceWithVms[]> {
    const scopes = run.scope === PROVISION_SCOPE ? [PROVISION_SCOPE] : [PROVISION_SCOPE, run.scope];
    const rows = await run.tx.escResource.findMany({ where: { serviceInstanceId: run.action.serviceInstanceId, scope: { in: scopes } }, include: WITH_VMS, orderBy: { createdAt: 'asc' } });
    return [...rows.filter((r) => r.scope === PROVISION_SCOPE), ...rows.filter((r) => r.scope !== PROVISION_SCOPE)];
  }
}

interface Run {
  tx: Tx;
  tenantId: string;
  action: ActionInstance;
  mode: ActionMode;
  /** The scope of the resources the run's steps make. */
  scope: string;
  /** ActionInstance.progress, kept in step with what is written. */
  progress: Record<string, string>;
  rows: ResourceWithVms[];
  /** A resume: the failed run it resumes, and how far that run got. */
  resumed?: { id: string; progress: Record<string, string> };
}

/** The step's live resource: its latest row in the run's scope. */
function liveResource(run: Run, stepId: string): ResourceWithVms | undefined {
  let live: ResourceWithVms | undefined;
  for (const r of run.rows) if (r.scope === run.scope && r.stepId === stepId) live = r;
  return live;
}

function stepIs(step: PlannedStep, resource: { kind: string; internalId: string; status: string }): DomainException {
  return DomainException.invalid(`step '${step.id}': ${resource.kind} ${resource.internalId} is ${resource.status}`);
}

function sameCall(a: { method: string; path: string; body: string | null; headers: unknown }, b: StepRequest): boolean {
  return a.method === b.method && a.path === b.path && (a.body ?? '') === (b.body ?? '') && JSON.stringify(a.headers ?? {}) === JSON.stringify(b.headers ?? {});
}

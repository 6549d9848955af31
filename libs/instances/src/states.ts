/** ServiceInstance.Status, as the CAM API spells it (DESIGN §5). */
export enum InstanceStatus {
  Submitted = 'Submitted',
  InProgress = 'In_Progress',
  Active = 'Active',
  Error = 'Error',
  Terminating = 'Terminating',
  Terminated = 'Terminated',
}

/** States in which an action is running: a second mutating request is a 409. */
export const BUSY_INSTANCE_STATUSES: readonly string[] = [InstanceStatus.Submitted, InstanceStatus.InProgress, InstanceStatus.Terminating];

export enum ActionStatus {
  /** Waiting in its batch for a turn (a batch runs at most its concurrency at once). */
  Queued = 'Queued',
  Submitted = 'Submitted',
  InProgress = 'In_Progress',
  Succeeded = 'Succeeded',
  Failed = 'Failed',
}

/** ActionInstance.type: the CAM action type it runs (a version's action types, and terminate). */
export enum ActionType {
  Provision = 'provision',
  /** update and version change (CAM's instance_action `update`). */
  Update = 'update',
  Custom = 'custom',
  Bind = 'bind',
  Unbind = 'unbind',
  Terminate = 'terminate',
}

/** How an action instance runs (ActionInstance.details.mode). */
export enum ActionMode {
  /** The first provision: every step made. */
  Deploy = 'deploy',
  /** New values: every step rendered again; what changed is updated (PUT), what did not is left alone. */
  Update = 'update',
  /** The failed action again from its start: what ESC holds is reused (updated if its rendering changed) or replaced, never duplicated. */
  Retry = 'retry',
  /** The failed action from its failed step: completed steps are skipped. */
  Resume = 'resume',
  /** To another version's flow: update what both have, create what is new, delete what is gone. */
  VersionChange = 'version_change',
  /** A flow of its own (custom, bind, unbind actions): its steps make their own resources. */
  Flow = 'flow',
  /** A built-in ESC operation on the deployments or one VM (stop, start, reboot, ..., recovery, snapshot). */
  EscOperation = 'esc_operation',
  Terminate = 'terminate',
}

/** Modes that (re)run the instance's own flow, on its resources of scope `provision`. */
export const INSTANCE_FLOW_MODES: readonly string[] = [ActionMode.Deploy, ActionMode.Update, ActionMode.Retry, ActionMode.Resume, ActionMode.VersionChange];

/** What an action instance is, besides its parameters (ActionInstance.details). */
export interface ActionDetails {
  mode?: ActionMode;
  /** Retry and resume: the failed action they run again. */
  rerunOf?: string;
  /** Version change: what CAM shows as versionChangeDetails. */
  versionChangeDetails?: Record<string, unknown>;
  /** Runs of the instance's own flow: the name of the version's provision action it runs (an update is named `update`). */
  flowAction?: string;
  /** The service version whose flow the action runs (a version change's target). */
  serviceVersionId?: string;
  /** ESC operations. */
  escOperation?: { operation: string; vmName?: string; snapshotName?: string };
  /** customDetails.name of invokeCustomAction: the requester's name for the run. */
  runName?: string;
  /** Bind actions: the bind instance's name. */
  bindName?: string;
  /** The instance's Status when the action was accepted. */
  statusBefore?: string;
  /** A custom flow or an ESC operation (and a rerun of one): it leaves the instance's Status as it was (statusBefore), whatever its outcome. */
  keepsStatus?: boolean;
  /** The scope of the resources its steps make (a custom flow's own action id; a rerun keeps the scope of the run it reruns). */
  scope?: string;
}

/** The resource scope of an instance's own flow (a custom action's is its action instance id). */
export const PROVISION_SCOPE = 'provision';

/** Per step of an action run (ActionInstance.progress): what the run did with a step it did not have to make. */
export enum StepProgress {
  Unchanged = 'unchanged',
  Reused = 'reused',
}

export enum EscResourceStatus {
  /** Row made, create request not yet accepted by ESC. */
  Creating = 'Creating',
  Deploying = 'Deploying',
  Active = 'Active',
  Undeploying = 'Undeploying',
  Undeployed = 'Undeployed',
  /** ESC refused to create it: nothing exists on ESC, so terminate has nothing to delete. */
  Rejected = 'Rejected',
  /** Something went wrong on ESC's side (or ESC could not be reached): terminate deletes it. */
  Error = 'Error',
}

export enum EscRequestStatus {
  /** Persisted, not yet answered by ESC. */
  Pending = 'Pending',
  /** Accepted by ESC; waiting for the final callback. */
  Accepted = 'Accepted',
  Succeeded = 'Succeeded',
  Failed = 'Failed',
}

/** Requests ESC may still act on: the ones a callback or a reconciliation can complete. */
export const OPEN_ESC_REQUEST_STATUSES: readonly string[] = [EscRequestStatus.Pending, EscRequestStatus.Accepted];

export enum CallbackOutcome {
  Received = 'Received',
  Applied = 'Applied',
  Duplicate = 'Duplicate',
  Ignored = 'Ignored',
  Unmatched = 'Unmatched',
}

/** Which URL ESC posted a callback to (EscCallback.channel). */
export enum CallbackChannel {
  /** The request's Callback URL: how the request goes. */
  Request = 'request',
  /** Its Callback-ESC-Events URL: events of the resource outside any request (VM down, recovery, scaling, ...). */
  Events = 'events',
}

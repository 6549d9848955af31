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
  Submitted = 'Submitted',
  InProgress = 'In_Progress',
  Succeeded = 'Succeeded',
  Failed = 'Failed',
}

export enum ActionType {
  Provision = 'provision',
  Terminate = 'terminate',
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

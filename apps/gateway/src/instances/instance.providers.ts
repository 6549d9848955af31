import { SecuredValues } from './secured-values';
import { InstanceEventsHub } from './events/instance-events.hub';
import { StreamInstanceEventsUseCase } from './events/stream-instance-events.usecase';
import { FailedActionRerun } from './lifecycle/failed-action-rerun';
import { FlowRunPreparation } from './lifecycle/flow-run-preparation';
import { InstanceActionStarter } from './lifecycle/instance-action-starter';
import { VersionChangeLookup } from './lifecycle/version-change';
import { AuditEscRequestsUseCase } from './usecases/audit-esc-requests.usecase';
import { CleanupInstanceUseCase } from './usecases/cleanup-instance.usecase';
import { CreateBindUseCase } from './usecases/create-bind.usecase';
import { GetCustomActionsUseCase } from './usecases/get-custom-actions.usecase';
import { GetInputParametersUseCase } from './usecases/get-input-parameters.usecase';
import { GetInstanceUseCase } from './usecases/get-instance.usecase';
import { InvokeCustomActionUseCase } from './usecases/invoke-custom-action.usecase';
import { ListEscEventsUseCase } from './usecases/list-esc-events.usecase';
import { ListInstancesUseCase } from './usecases/list-instances.usecase';
import { ResumeInstanceUseCase } from './usecases/resume-instance.usecase';
import { RetryInstanceUseCase } from './usecases/retry-instance.usecase';
import { SubmitVersionChangeUseCase } from './usecases/submit-version-change.usecase';
import { TerminateBindUseCase } from './usecases/terminate-bind.usecase';
import { TerminateInstanceUseCase } from './usecases/terminate-instance.usecase';
import { UpdateInstanceUseCase } from './usecases/update-instance.usecase';
import { VersionChangeInputParametersUseCase } from './usecases/version-change-input-parameters.usecase';

/** One use case per instance operation, and what they share to start an action. */
export const INSTANCE_USE_CASES = [
  SecuredValues,
  InstanceActionStarter,
  FlowRunPreparation,
  FailedActionRerun,
  VersionChangeLookup,
  ListInstancesUseCase,
  GetInstanceUseCase,
  GetInputParametersUseCase,
  GetCustomActionsUseCase,
  AuditEscRequestsUseCase,
  ListEscEventsUseCase,
  UpdateInstanceUseCase,
  RetryInstanceUseCase,
  ResumeInstanceUseCase,
  VersionChangeInputParametersUseCase,
  SubmitVersionChangeUseCase,
  InvokeCustomActionUseCase,
  CreateBindUseCase,
  TerminateBindUseCase,
  CleanupInstanceUseCase,
  TerminateInstanceUseCase,
  InstanceEventsHub,
  StreamInstanceEventsUseCase,
];

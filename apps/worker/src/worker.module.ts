import { SecretBox } from '@cam-esc/secrets';
import { openActionSecretsWith } from './action-log';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '@cam-esc/config';
import { ConnectionsModule } from '@cam-esc/connections';
import { EscModule } from '@cam-esc/esc';
import { JobsModule } from '@cam-esc/jobs';
import { LoggingModule } from '@cam-esc/observability';
import { PersistenceModule } from '@cam-esc/persistence';
import { ApplyEscCallbackUseCase } from './apply-esc-callback/apply-esc-callback.usecase';
import { ApplyEscEvent } from './apply-esc-callback/apply-esc-event';
import { FlowMoves } from './run-action/flow-moves';
import { OperationMoves } from './run-action/operation-moves';
import { TerminateMoves } from './run-action/terminate-moves';
import { EscCallbackProcessor } from './processors/esc-callback.processor';
import { CatalogProcessor } from './processors/catalog.processor';
import { FlowProcessor } from './processors/flow.processor';
import { RetireVersionUseCase } from './retire-version/retire-version.usecase';
import { ReconcileEscRequestUseCase } from './reconcile/reconcile-esc-request.usecase';
import { SettleContradictedOutcomeUseCase } from './reconcile/settle-contradicted-outcome.usecase';
import { AdvanceBatchUseCase } from './batches/advance-batch.usecase';
import { RunActionUseCase } from './run-action/run-action.usecase';
import { StepStarter } from './run-action/step-starter';
import { SendStepRequest } from './esc-requests/send-step-request';
import { CircuitStateRecorder } from './esc-requests/circuit-state-recorder';
import { ResthookClient } from './resthooks/resthook-client';
import { RelayOutboxService } from './sweep/relay-outbox.service';
import { ResumeInFlightService } from './sweep/resume-in-flight.service';
import { TakeOverAbandonedSendsService } from './sweep/take-over-abandoned-sends.service';
import { WorkerLiveness } from './liveness/worker-liveness';
import { CheckDriftUseCase } from './drift/check-drift.usecase';
import { DriftModule } from '@cam-esc/drift';

/** The BullMQ side: runs flows against ESC and applies ESC's callbacks. */
/** Hands the worker's SecretBox to the action log's masking (see action-log.ts). */
const ACTION_SECRETS_BOOT = { provide: 'ACTION_SECRETS_BOOT', useFactory: (box: SecretBox) => openActionSecretsWith(box), inject: [SecretBox] };

@Module({})
export class WorkerModule {
  static register(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forApp('worker'), PersistenceModule, JobsModule, EscModule, ConnectionsModule, DriftModule],
      providers: [ACTION_SECRETS_BOOT, RunActionUseCase, FlowMoves, TerminateMoves, OperationMoves, StepStarter, SendStepRequest, ResthookClient, ApplyEscCallbackUseCase, ApplyEscEvent, ReconcileEscRequestUseCase, SettleContradictedOutcomeUseCase, AdvanceBatchUseCase, FlowProcessor, EscCallbackProcessor, CatalogProcessor, RetireVersionUseCase, ResumeInFlightService, RelayOutboxService, CircuitStateRecorder, CheckDriftUseCase, WorkerLiveness, TakeOverAbandonedSendsService],
    };
  }
}

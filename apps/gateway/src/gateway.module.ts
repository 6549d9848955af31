import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, ConfigModule } from '@cam-esc/config';
import { ConnectionsModule } from '@cam-esc/connections';
import { JobsModule } from '@cam-esc/jobs';
import { LoggingModule } from '@cam-esc/observability';
import { PersistenceModule } from '@cam-esc/persistence';
import { ActionsController } from './actions/actions.controller';
import { CreateActionUseCase } from './actions/usecases/create-action.usecase';
import { InvokeActionUseCase } from './actions/usecases/invoke-action.usecase';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { RateLimitGuard } from './rate-limits/rate-limit.guard';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { JwtVerifier } from './auth/jwt-verifier';
import { OidcDiscovery } from './auth/oidc-discovery';
import { GetLoginOptionsUseCase } from './console/usecases/get-login-options.usecase';
import { AuditController } from './audit/audit.controller';
import { OverviewController } from './console/overview.controller';
import { SessionController } from './console/session.controller';
import { GetOverviewUseCase } from './console/usecases/get-overview.usecase';
import { ListAuditEntriesUseCase } from './audit/usecases/list-audit-entries.usecase';
import { AuditInterceptor } from './audit/audit.interceptor';
import { AuditMiddleware } from './audit/audit.middleware';
import { AuditWriter } from './audit/audit-writer';
import { CATALOG_USE_CASES, ServiceDocumentIntake } from './catalog/catalog.providers';
import { ServicesController } from './catalog/services.controller';
import { ServiceVersionsController } from './catalog/service-versions.controller';
import { ConnectionsApiModule } from './connections/connections-api.module';
import { DriftApiModule } from './drift/drift-api.module';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { RequireJsonMiddleware } from './common/require-json.middleware';
import { EscCallbacksController } from './esc-callbacks/esc-callbacks.controller';
import { ReceiveEscCallbackUseCase } from './esc-callbacks/receive-esc-callback.usecase';
import { IconsController } from './icons/icons.controller';
import { IconUploadInterceptor } from './icons/icon-upload.interceptor';
import { UploadIconUseCase } from './icons/usecases/upload-icon.usecase';
import { ListIconsUseCase } from './icons/usecases/list-icons.usecase';
import { DownloadIconByNameUseCase } from './icons/usecases/download-icon-by-name.usecase';
import { DownloadIconUseCase } from './icons/usecases/download-icon.usecase';
import { DeleteIconUseCase } from './icons/usecases/delete-icon.usecase';
import { DependencyIndicators, HealthController } from './health/health.controller';
import { InstancesController } from './instances/instances.controller';
import { InstanceActionsController } from './instances/instance-actions.controller';
import { INSTANCE_USE_CASES } from './instances/instance.providers';
import { InstanceEventsController } from './instances/events/instance-events.controller';
import { DeployInstanceUseCase } from './instances/usecases/deploy-instance.usecase';
import { DeploySubmission } from './instances/usecases/deploy-submission';
import { DeployPreparation } from './instances/usecases/deploy-preparation';
import { DryRunDeployUseCase } from './instances/usecases/dry-run-deploy.usecase';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import { SharedParametersApiModule } from './shared-parameters/shared-parameters-api.module';
import { TemplatesController } from './templates/templates.controller';
import { CreateTemplateUseCase } from './templates/usecases/create-template.usecase';
import { DeleteTemplateUseCase } from './templates/usecases/delete-template.usecase';

import { IdempotencyInterceptor } from './common/idempotency/idempotency.interceptor';
import { BatchesController } from './batches/batches.controller';
import { SubmitBatchUseCase } from './batches/usecases/submit-batch.usecase';
import { BatchConnections } from './batches/batch-connections';
import { GetBatchUseCase } from './batches/usecases/get-batch.usecase';
import { ListBatchesUseCase } from './batches/usecases/list-batches.usecase';
import { CancelBatchUseCase } from './batches/usecases/cancel-batch.usecase';
import { RerunBatchItems } from './batches/usecases/rerun-batch-items';
import { RetryBatchUseCase } from './batches/usecases/retry-batch.usecase';
import { TerminateBatchUseCase } from './batches/usecases/terminate-batch.usecase';
import { StreamBatchProgressUseCase } from './batches/usecases/stream-batch-progress.usecase';

/** The HTTP side: CAM API, template library, ESC callback receiver, health, metrics. It only enqueues jobs. */
@Module({})
export class GatewayModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AuditMiddleware).forRoutes('{*splat}');
    consumer.apply(RequireJsonMiddleware).forRoutes(TemplatesController, ServicesController, ServiceVersionsController, ActionsController, InstancesController, InstanceActionsController);
  }

  static register(config?: AppConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ConfigModule.forRoot(config), LoggingModule.forApp('gateway'), PersistenceModule, JobsModule, TerminusModule, ConnectionsModule, ConnectionsApiModule, SharedParametersApiModule, DriftApiModule, RateLimitsModule],
      controllers: [TemplatesController, ServicesController, ServiceVersionsController, ActionsController, IconsController, InstanceEventsController, InstancesController, InstanceActionsController, EscCallbacksController, HealthController, MetricsController, BatchesController, AuditController, SessionController, OverviewController],
      providers: [
        JwtVerifier,
        OidcDiscovery,
        GetLoginOptionsUseCase,
        ListAuditEntriesUseCase,
        GetOverviewUseCase,
        AuditWriter,
        { provide: APP_GUARD, useClass: BearerAuthGuard },
        // after the auth guard: the limits count per caller, whom it names
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        // outermost: it sees every call's answer, replays included
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        CreateTemplateUseCase,
        DeleteTemplateUseCase,
        ServiceDocumentIntake,
        UploadIconUseCase,
        ListIconsUseCase,
        DownloadIconByNameUseCase,
        DownloadIconUseCase,
        DeleteIconUseCase,
        CreateActionUseCase,
        InvokeActionUseCase,
        IconUploadInterceptor,
        ...CATALOG_USE_CASES,
        DeployInstanceUseCase,
        DeploySubmission,
        SubmitBatchUseCase,
        BatchConnections,
        GetBatchUseCase,
        ListBatchesUseCase,
        CancelBatchUseCase,
        RerunBatchItems,
        RetryBatchUseCase,
        TerminateBatchUseCase,
        StreamBatchProgressUseCase,
        DeployPreparation,
        DryRunDeployUseCase,
        ...INSTANCE_USE_CASES,
        ReceiveEscCallbackUseCase,
        DependencyIndicators,
        MetricsService,
      ],
    };
  }
}

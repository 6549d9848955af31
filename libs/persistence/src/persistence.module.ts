import { InstanceEventRepository } from './repositories/instance-event.repository';
import { JobOutboxRepository } from './repositories/job-outbox.repository';
import { EscCircuitRepository } from './repositories/esc-circuit.repository';
import { MaintenanceCounterRepository } from './repositories/maintenance-counter.repository';
import { WorkerProcessRepository } from './repositories/worker-process.repository';
import { IdempotencyKeyRepository } from './repositories/idempotency-key.repository';
import { BatchRepository } from './repositories/batch.repository';
import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { EscCallbackRepository } from './repositories/esc-callback.repository';
import { EscRequestRepository } from './repositories/esc-request.repository';
import { InstanceRepository } from './repositories/instance.repository';
import { IconRepository } from './repositories/icon.repository';
import { ServiceVersionRepository } from './repositories/service-version.repository';
import { ServiceRepository } from './repositories/service.repository';
import { TemplateRepository } from './repositories/template.repository';
import { EscConnectionRepository } from './repositories/esc-connection.repository';
import { SharedParameterRepository } from './repositories/shared-parameter.repository';
import { AuditRepository } from './repositories/audit.repository';
import { OperationsOverviewRepository } from './repositories/operations-overview.repository';

const providers = [PrismaService, InstanceEventRepository, TemplateRepository, ServiceRepository, ServiceVersionRepository, IconRepository, InstanceRepository, EscCallbackRepository, EscRequestRepository, EscConnectionRepository, SharedParameterRepository, JobOutboxRepository, EscCircuitRepository, MaintenanceCounterRepository, WorkerProcessRepository, IdempotencyKeyRepository, BatchRepository, AuditRepository, OperationsOverviewRepository];

@Global()
@Module({ providers, exports: providers })
export class PersistenceModule {}

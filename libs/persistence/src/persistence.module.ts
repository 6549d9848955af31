import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { EscCallbackRepository } from './repositories/esc-callback.repository';
import { EscRequestRepository } from './repositories/esc-request.repository';
import { InstanceRepository } from './repositories/instance.repository';
import { ServiceRepository } from './repositories/service.repository';
import { TemplateRepository } from './repositories/template.repository';

const providers = [PrismaService, TemplateRepository, ServiceRepository, InstanceRepository, EscCallbackRepository, EscRequestRepository];

@Global()
@Module({ providers, exports: providers })
export class PersistenceModule {}

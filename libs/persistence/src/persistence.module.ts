import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { EscCallbackRepository } from './repositories/esc-callback.repository';
import { EscRequestRepository } from './repositories/esc-request.repository';
import { InstanceRepository } from './repositories/instance.repository';
import { IconRepository } from './repositories/icon.repository';
import { ServiceVersionRepository } from './repositories/service-version.repository';
import { ServiceRepository } from './repositories/service.repository';
import { TemplateRepository } from './repositories/template.repository';

const providers = [PrismaService, TemplateRepository, ServiceRepository, ServiceVersionRepository, IconRepository, InstanceRepository, EscCallbackRepository, EscRequestRepository];

@Global()
@Module({ providers, exports: providers })
export class PersistenceModule {}

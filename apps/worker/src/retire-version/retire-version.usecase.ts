import { Injectable, Logger } from '@nestjs/common';
import { JobPayloads, JobName } from '@cam-esc/jobs';
import { PrismaService } from '@cam-esc/persistence';

/** A version's retire date has come: retire it, unless the date was changed or cleared meanwhile. */
@Injectable()
export class RetireVersionUseCase {
  private readonly logger = new Logger(RetireVersionUseCase.name);

  constructor(private readonly prisma: PrismaService) {}

  async execute(job: JobPayloads[JobName.RetireVersion], now = new Date()): Promise<void> {
    const retireOn = new Date(job.retireOn);
    if (retireOn.getTime() > now.getTime()) throw new Error(`retire-version for ${job.serviceVersionId} ran before ${job.retireOn}; it is retried`);
    // one conditional update: a changed or cleared date, or a version retired by hand, makes it a no-op
    const { count } = await this.prisma.serviceVersion.updateMany({
      where: { id: job.serviceVersionId, retireOn, status: { not: 'Retired' } },
      data: { status: 'Retired', retiredAt: now, retireOn: null },
    });
    if (count) this.logger.log({ serviceVersionId: job.serviceVersionId }, `service version retired on its date (${job.retireOn})`);
  }
}

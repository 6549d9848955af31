import { Controller, Get, Injectable, Res, ServiceUnavailableException } from '@nestjs/common';
import { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { QueueHealth } from '@cam-esc/jobs';
import { PrismaService } from '@cam-esc/persistence';
import { Public } from '../auth/bearer-auth.guard';

@Injectable()
export class DependencyIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly queue: QueueHealth,
  ) {}

  async database() {
    const check = this.indicator.check('database');
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }

  /** The job queue's store: Redis, or the `bullmq` schema of the gateway's PostgreSQL. */
  async queueStore() {
    const check = this.indicator.check('queue');
    const backend = this.queue.backend.kind;
    try {
      await this.queue.ping();
      return check.up({ backend });
    } catch (e) {
      return check.down({ backend, message: (e as Error).message });
    }
  }
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly deps: DependencyIndicators,
  ) {}

  @Get()
  @HealthCheck()
  async check(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([() => this.deps.database(), () => this.deps.queueStore()]);
    } catch (e) {
      // Terminus's own body (what is down, and why), not the generic error shape: it is what an operator reads
      if (!(e instanceof ServiceUnavailableException)) throw e;
      res.status(503);
      return e.getResponse();
    }
  }
}

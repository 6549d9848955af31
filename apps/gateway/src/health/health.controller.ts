import { Controller, Get, Injectable, Res, ServiceUnavailableException } from '@nestjs/common';
import { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { QueueHealth } from '@cam-esc/jobs';
import { EscCircuitRepository, PrismaService } from '@cam-esc/persistence';
import { Public } from '../auth/bearer-auth.guard';

@Injectable()
export class DependencyIndicators {
  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    private readonly queue: QueueHealth,
    private readonly circuits: EscCircuitRepository,
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

  /**
   * ESC connections whose circuit some worker holds open (or half open): reported, but never a
   * reason for this gateway to be taken out of service (it keeps accepting; the requests wait).
   */
  async escCircuits() {
    const check = this.indicator.check('esc');
    try {
      const rows = await this.circuits.current();
      const byConnection = new Map<string, { connection: string; state: string; workers: number; since: string }>();
      for (const r of rows) {
        const seen = byConnection.get(r.connectionKey);
        if (!seen) byConnection.set(r.connectionKey, { connection: r.connectionName, state: r.state, workers: 1, since: r.changedAt.toISOString() });
        else {
          seen.workers += 1;
          if (r.state === 'open') seen.state = 'open';
        }
      }
      return check.up({ failing: [...byConnection.values()] });
    } catch (e) {
      return check.up({ failing: [], message: `circuit states not readable: ${(e as Error).message}` });
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
      return await this.health.check([() => this.deps.database(), () => this.deps.queueStore(), () => this.deps.escCircuits()]);
    } catch (e) {
      // Terminus's own body (what is down, and why), not the generic error shape: it is what an operator reads
      if (!(e instanceof ServiceUnavailableException)) throw e;
      res.status(503);
      return e.getResponse();
    }
  }
}

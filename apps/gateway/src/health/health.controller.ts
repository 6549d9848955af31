import { Controller, Get, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '@cam-esc/config';
import { redisConnectionOptions } from '@cam-esc/jobs';
import { PrismaService } from '@cam-esc/persistence';
import Redis from 'ioredis';
import { Public } from '../auth/bearer-auth.guard';

@Injectable()
export class DependencyIndicators implements OnModuleDestroy {
  private readonly redis: Redis;

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly prisma: PrismaService,
    config: AppConfig,
  ) {
    this.redis = new Redis({ ...redisConnectionOptions(config.redisUrl), lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', () => undefined); // reported through the health check
  }

  async database() {
    const check = this.indicator.check('database');
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }

  async redisPing() {
    const check = this.indicator.check('redis');
    try {
      if (this.redis.status === 'wait' || this.redis.status === 'end') await this.redis.connect();
      await this.redis.ping();
      return check.up();
    } catch (e) {
      return check.down({ message: (e as Error).message });
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
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
  check() {
    return this.health.check([() => this.deps.database(), () => this.deps.redisPing()]);
  }
}

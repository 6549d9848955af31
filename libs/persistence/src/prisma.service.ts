import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(config: AppConfig) {
    // unless DATABASE_POOL_SIZE says: every worker slot may hold one transaction waiting on an
    // instance lock, for each of the two queues, with room to spare for the reads around them
    const max = config.databasePool.size ?? Math.max(10, config.flowConcurrency + config.callbackConcurrency + 4);
    super({ adapter: new PrismaPg({ connectionString: config.databaseUrl, max, connectionTimeoutMillis: config.databasePool.timeoutMs }) });
  }

  // the last hook of a shutdown: whatever stops before (queue workers, the audit's last entries) may still write
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}

export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

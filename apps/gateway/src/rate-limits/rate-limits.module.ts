import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@cam-esc/config';
import { JobsModule } from '@cam-esc/jobs';
import { RateLimitStorage } from './rate-limit.storage';
import { rateLimitKey, rateLimitThrottlers } from './rate-limits';

@Module({
  imports: [JobsModule],
  providers: [RateLimitStorage],
  exports: [RateLimitStorage],
})
class RateLimitStorageModule {}

/** The throttler's options and storage; the guard (RateLimitGuard) is the gateway's, after BearerAuthGuard. */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [AppConfig, RateLimitStorage],
      useFactory: (config: AppConfig, storage: RateLimitStorage) => ({
        throttlers: rateLimitThrottlers(config.rateLimits),
        storage,
        // the guard answers Retry-After itself; X-RateLimit-<name> headers on every answer would say little
        setHeaders: false,
        generateKey: (_context, tracker, name) => rateLimitKey(config.queuePrefix, tracker, name),
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitsModule {}

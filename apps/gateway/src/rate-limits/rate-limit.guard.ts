import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard, ThrottlerLimitDetail, ThrottlerModuleOptions, ThrottlerRequest, ThrottlerStorage } from '@nestjs/throttler';
import { DomainErrorCode, DomainException } from '@cam-esc/errors';
import { MetricsService } from '../metrics/metrics.service';
import { COUNTED_PER, RateLimitName } from './rate-limits';

/** Thrown by throwThrottlingException, caught in handleRequest, which knows the limit's name. */
class LimitReached {
  constructor(readonly detail: ThrottlerLimitDetail) {}
}

/**
 * The rate limits (rate-limits.ts) over @nestjs/throttler: a call over a limit is a 429 in CAM's
 * error shape, naming the limit, with a plain `Retry-After` (seconds).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly metrics: MetricsService,
  ) {
    super(options, storage, reflector);
  }

  private get limited(): boolean {
    const throttlers = Array.isArray(this.options) ? this.options : this.options.throttlers;
    return throttlers.length > 0;
  }

  override async onModuleInit(): Promise<void> {
    // every limit set to 0: no throttler, and no warning from the library about it
    if (this.limited) await super.onModuleInit();
  }

  protected override async shouldSkip(): Promise<boolean> {
    return !this.limited;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(props);
    } catch (err) {
      if (!(err instanceof LimitReached)) throw err;
      const name = props.throttler.name as RateLimitName;
      const retryAfter = Math.max(1, err.detail.timeToBlockExpire);
      this.getRequestResponse(props.context).res.setHeader('Retry-After', String(retryAfter));
      this.metrics.rateLimited.inc({ limit: name });
      throw new DomainException(
        DomainErrorCode.RATE_LIMITED,
        `rate limit per ${COUNTED_PER[name]} reached: at most ${err.detail.limit} calls in ${Math.round(err.detail.ttl / 1000)} s; try again in ${retryAfter} s`,
      );
    }
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new LimitReached(detail);
  }
}

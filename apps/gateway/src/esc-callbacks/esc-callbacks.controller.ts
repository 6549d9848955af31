import { Body, Controller, Headers, HttpCode, Logger, Param, Post, Req } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';
import { Request } from 'express';
import { MetricsService } from '../metrics/metrics.service';
import { ApiExcludeController } from '@nestjs/swagger';
import { CallbackChannel } from '@cam-esc/instances';
import { Public } from '../auth/bearer-auth.guard';
import { RateLimitedPerSourceAddress } from '../rate-limits/rate-limits';
import { ReceiveEscCallbackUseCase } from './receive-esc-callback.usecase';

/** Where ESC posts its asynchronous results; the unguessable token in the path authenticates ESC. */
@ApiExcludeController()
@Public()
@RateLimitedPerSourceAddress()
@Controller('esc/callbacks')
export class EscCallbacksController {
  private readonly logger = new Logger(EscCallbacksController.name);

  constructor(
    private readonly receive: ReceiveEscCallbackUseCase,
    private readonly metrics: MetricsService,
  ) {}

  @Post(':token')
  @HttpCode(200)
  callback(@Param('token') token: string, @Headers() headers: Record<string, string>, @Body() body: unknown, @Req() req: Request) {
    return this.received(req, CallbackChannel.Request, token, headers, body);
  }

  /** The Callback-ESC-Events URL of the same request: ESC's events of the resource outside any request. */
  @Post(':token/events')
  @HttpCode(200)
  event(@Param('token') token: string, @Headers() headers: Record<string, string>, @Body() body: unknown, @Req() req: Request) {
    return this.received(req, CallbackChannel.Events, token, headers, body);
  }

  private async received(req: Request, channel: CallbackChannel, token: string, headers: Record<string, string>, body: unknown) {
    try {
      return { received: await this.receive.execute({ token, channel, headers, body: typeof body === 'string' ? body : '' }) };
    } catch (e) {
      // a token no request has: someone guessing, or an ESC still calling back for a purged instance
      if (e instanceof DomainException && e.code === 'NOT_FOUND') {
        this.metrics.callbacksRefused.inc({ reason: 'unknown_token' });
        this.logger.warn({ source: req.ip, channel }, 'ESC callback refused: its token names no request');
      }
      throw e;
    }
  }
}

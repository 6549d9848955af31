import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CallbackChannel } from '@cam-esc/instances';
import { Public } from '../auth/bearer-auth.guard';
import { ReceiveEscCallbackUseCase } from './receive-esc-callback.usecase';

/** Where ESC posts its asynchronous results; the unguessable token in the path authenticates ESC. */
@ApiExcludeController()
@Public()
@Controller('esc/callbacks')
export class EscCallbacksController {
  constructor(private readonly receive: ReceiveEscCallbackUseCase) {}

  @Post(':token')
  @HttpCode(200)
  async callback(@Param('token') token: string, @Headers() headers: Record<string, string>, @Body() body: unknown) {
    const id = await this.receive.execute({ token, channel: CallbackChannel.Request, headers, body: typeof body === 'string' ? body : '' });
    return { received: id };
  }

  /** The Callback-ESC-Events URL of the same request: ESC's events of the resource outside any request. */
  @Post(':token/events')
  @HttpCode(200)
  async event(@Param('token') token: string, @Headers() headers: Record<string, string>, @Body() body: unknown) {
    const id = await this.receive.execute({ token, channel: CallbackChannel.Events, headers, body: typeof body === 'string' ? body : '' });
    return { received: id };
  }
}

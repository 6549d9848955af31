import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { TenantId } from '../../auth/tenant.decorator';
import { ApiErrors } from '../../openapi/api-responses';
import { instanceId } from '../instances.controller';
import { sseSink } from './sse';
import { lastEventIdOf, StreamInstanceEventsUseCase } from './stream-instance-events.usecase';

const SSE_DOC = {
  status: 200,
  description:
    'text/event-stream: `event: snapshot` (where it stands; an instance stream without Last-Event-ID), then one event per change: `action` (started, finished), `state` (Status), `log` (a line of the action\'s log, secrets masked), `callback` (an ESC callback applied). Each has an `id:` for Last-Event-ID and JSON data',
  content: { 'text/event-stream': { schema: { type: 'string', example: 'id: 42\nevent: log\ndata: {"id":"42","type":"log","serviceInstanceId":"…","line":"step \'escasa0001\': ESC accepted POST …"}\n\n' } } },
};

/**
 * Live progress as Server-Sent Events, on any gateway replica whichever worker made the change
 * (events go through PostgreSQL's LISTEN/NOTIFY). Registered before InstancesController, so that
 * `events` is not read as an instance id.
 */
@ApiTags('CAM service instances')
@ApiBearerAuth()
@ApiQuery({ name: 'tenantId', required: false })
@Controller('cam/composer/api/v1/ServiceInstances')
export class InstanceEventsController {
  constructor(private readonly stream: StreamInstanceEventsUseCase) {}

  @Get('events')
  @ApiOperation({ summary: "Every instance's live progress for the tenant, as Server-Sent Events (does not end). After a reconnect with Last-Event-ID nothing is missed; an event of the half minute before may come again (same id)" })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'the id of the last event received' })
  @ApiResponse(SSE_DOC)
  @ApiErrors(400)
  async tenantEvents(@TenantId() tenantId: string, @Headers('last-event-id') lastEventId: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const after = lastEventIdOf(lastEventId);
    let close: (() => void) | undefined;
    const sink = sseSink(req, res, () => close?.());
    close = await this.stream.tenant(tenantId, after, sink);
    if (req.destroyed) close();
  }

  @Get(':id/events')
  @ApiOperation({ summary: "An instance's live progress as Server-Sent Events: where it stands, then each state change, log line and ESC callback as it happens; ends when its action ends. Last-Event-ID resumes after that event, without gaps or repeats" })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'the id of the last event received' })
  @ApiResponse(SSE_DOC)
  @ApiErrors(400, 404)
  async instanceEvents(@TenantId() tenantId: string, @Param('id', instanceId) id: string, @Headers('last-event-id') lastEventId: string | undefined, @Req() req: Request, @Res() res: Response): Promise<void> {
    const after = lastEventIdOf(lastEventId);
    let close: (() => void) | undefined;
    let opened = false;
    // headers go out once the instance is known to exist (a 404 is an ordinary error answer)
    const sink = {
      inner: undefined as ReturnType<typeof sseSink> | undefined,
      open() {
        this.inner ??= sseSink(req, res, () => close?.());
        opened = true;
        return this.inner;
      },
      send(event: Parameters<ReturnType<typeof sseSink>['send']>[0]) {
        this.open().send(event);
      },
      end() {
        // a resumed stream with nothing after its event and no action running: 204 tells EventSource to stop reconnecting
        if (!opened && after !== undefined) {
          opened = true;
          res.status(204).end();
          return;
        }
        this.open().end();
      },
    };
    close = await this.stream.instance(tenantId, id, after, sink);
    if (!opened) sink.open();
    if (req.destroyed) close();
  }
}

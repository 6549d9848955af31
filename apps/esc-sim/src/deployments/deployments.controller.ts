import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Param, Post, Put, Res, UseGuards } from '@nestjs/common';
import { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { AcceptsXmlGuard } from './accepts-xml.guard';
import { AcceptedRequest, DeploymentsService } from './deployments.service';
import { EscRequestHeaders } from './esc-request';

const XML = 'application/xml';

/** ESC "06-Deployments": /ESCManager/v0/deployments[/{internal_deployment_id}]. */
@Controller('ESCManager/v0/deployments')
@UseGuards(AcceptsXmlGuard)
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentsService) {}

  @Get()
  @Header('Content-Type', XML)
  list(): string {
    return this.deployments.list();
  }

  @Get(':internalId')
  @Header('Content-Type', XML)
  get(@Param('internalId') internalId: string): string {
    return this.deployments.get(internalId);
  }

  @Post(':internalId')
  @HttpCode(200)
  @Header('Content-Type', XML)
  create(
    @Param('internalId') internalId: string,
    @Body() body: unknown,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) res: ServerResponse,
  ): string {
    return withTransactionId(res, this.deployments.create(internalId, body, escHeaders(headers)));
  }

  @Put(':internalId')
  @Header('Content-Type', XML)
  update(
    @Param('internalId') internalId: string,
    @Body() body: unknown,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) res: ServerResponse,
  ): string {
    return withTransactionId(res, this.deployments.update(internalId, body, escHeaders(headers)));
  }

  @Delete(':internalId')
  @Header('Content-Type', XML)
  delete(
    @Param('internalId') internalId: string,
    @Headers() headers: IncomingHttpHeaders,
    @Res({ passthrough: true }) res: ServerResponse,
  ): string {
    return withTransactionId(res, this.deployments.delete(internalId, escHeaders(headers)));
  }
}

function withTransactionId(res: ServerResponse, accepted: AcceptedRequest): string {
  res.setHeader('esc-transaction-id', accepted.transactionId);
  return accepted.body;
}

function escHeaders(headers: IncomingHttpHeaders): EscRequestHeaders {
  return {
    contentType: headers['content-type'],
    accept: headers.accept,
    callback: first(headers.callback),
    callbackEscEvents: first(headers['callback-esc-events']),
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

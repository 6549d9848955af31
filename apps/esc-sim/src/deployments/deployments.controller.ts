import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put, UseGuards, UseInterceptors } from '@nestjs/common';
import { AcceptedRequestInterceptor } from '../common/accepted-request.interceptor';
import { AcceptsXmlGuard } from '../common/accepts-xml.guard';
import { AcceptedRequest, EscHeaders, EscRequestHeaders } from '../common/esc-request';
import { DeploymentsService } from './deployments.service';

const XML = 'application/xml';

/** ESC "06-Deployments": /ESCManager/v0/deployments[/{internal_deployment_id}]. */
@Controller('ESCManager/v0/deployments')
@UseGuards(AcceptsXmlGuard)
@UseInterceptors(AcceptedRequestInterceptor)
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
  create(@Param('internalId') internalId: string, @Body() body: unknown, @EscHeaders() headers: EscRequestHeaders): AcceptedRequest {
    return this.deployments.create(internalId, body, headers);
  }

  @Put(':internalId')
  @Header('Content-Type', XML)
  update(@Param('internalId') internalId: string, @Body() body: unknown, @EscHeaders() headers: EscRequestHeaders): AcceptedRequest {
    return this.deployments.update(internalId, body, headers);
  }

  @Delete(':internalId')
  @Header('Content-Type', XML)
  delete(@Param('internalId') internalId: string, @EscHeaders() headers: EscRequestHeaders): AcceptedRequest {
    return this.deployments.delete(internalId, headers);
  }
}

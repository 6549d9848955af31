import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { IncomingMessage } from 'node:http';
import { assertAcceptsXml } from './esc-request';

/** ESC only answers XML: a request whose Accept rules XML out gets 406. */
@Injectable()
export class AcceptsXmlGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    assertAcceptsXml(context.switchToHttp().getRequest<IncomingMessage>().headers.accept);
    return true;
  }
}

import { INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { IncomingMessage } from 'node:http';
import { text } from 'express';
import helmet from 'helmet';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { documentIdempotencyKey } from './common/idempotency/idempotency.interceptor';
import { documentRoles } from './auth/roles';
import { flattenValidationErrors } from './common/validation-errors';
import { AppConfig } from '@cam-esc/config';
import { DomainException } from '@cam-esc/errors';
import { Logger } from 'nestjs-pino';
import { RejectUnstorableTextPipe } from './common/reject-unstorable-text.pipe';
import { refuseWhileShuttingDown } from './common/shutdown-state';
import { GatewayModule } from './gateway.module';
import { mountQueueBoard } from './queue-board/queue-board';
import { CONSOLE_PATH, mountConsole } from './console/console-static';
import { OidcDiscovery, originOf } from './auth/oidc-discovery';

const XML_TYPES = ['application/xml', 'text/xml', 'text/plain', 'application/*+xml'];

/** Builds the gateway app (used by main.ts and by the e2e tests). */
export async function createGateway(config: AppConfig): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // security headers on every answer (no sniffing, no framing, HSTS, a strict referrer policy, a CSP for the pages under /docs and /queues)
  // (no upgrade-insecure-requests: behind plain http the /docs page would ask for its assets over https; HSTS covers https)
  // the console's login at the identity provider posts to its token endpoint: connect-src names the provider's origins
  const discovery = app.get(OidcDiscovery);
  // read early, so that the first page's CSP already names the token endpoint (a failure is read again by the login page)
  if (config.consoleOidc) discovery.document().catch(() => undefined);
  // (the console's pages only: the token endpoint once known, else the issuer's origin)
  const providerOrigins = (req: IncomingMessage) => (config.consoleOidc && req.url?.startsWith(CONSOLE_PATH) ? originOf(discovery.known?.token_endpoint ?? config.oidc?.issuer) : '');
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, connectSrc: ["'self'", providerOrigins] } } }));
  app.getHttpAdapter().getInstance().disable('x-powered-by');
  // portals on other origins only where CORS_ORIGINS names them (none by default)
  if (config.corsOrigins.length) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'],
      exposedHeaders: ['Idempotent-Replayed', 'Retry-After', 'Location', 'Allow'],
      maxAge: 600,
    });
  }
  app.use(refuseWhileShuttingDown);
  app.useBodyParser('json', { limit: '5mb' });
  // ESC posts XML, which the receiver parses and stores raw. The callback route is open to anyone
  // who can reach it (its token is checked in the same statement that stores the callback), so
  // it takes at most 1 MB: room for a deployment of hundreds of VMs, not for a heap to fill.
  app.use('/esc/callbacks', text({ type: XML_TYPES, limit: '1mb' }));
  app.useBodyParser('text', { type: XML_TYPES, limit: '5mb' });
  app.useGlobalPipes(
    new RejectUnstorableTextPipe(),
    new ValidationPipe({
      transform: true,
      whitelist: false,
      exceptionFactory: (errors) => DomainException.invalid(flattenValidationErrors(errors).join('; ')),
    }),
  );
  const doc = new DocumentBuilder()
    .setTitle('cam-esc-gateway')
    .setDescription('IBM CAM service-catalog API in front of Cisco Elastic Services Controller (ESC)')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque token or JWT', description: "a token of API_TOKENS (tenantId:token[:role]; the development default is dev-token), or a JWT of the identity provider OIDC_ISSUER names; each operation says the role it needs (viewer, operator, catalog-admin; admin may do everything)" })
    .build();
  SwaggerModule.setup('docs', app, () => {
    const document = SwaggerModule.createDocument(app, doc);
    documentIdempotencyKey(document as unknown as Parameters<typeof documentIdempotencyKey>[0]);
    documentRoles(document as unknown as Parameters<typeof documentRoles>[0]);
    return document;
  });
  mountQueueBoard(app, config);
  mountConsole(app);
  return app;
}

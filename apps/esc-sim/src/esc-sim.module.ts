import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { IncomingMessage } from 'node:http';
import { AdminModule } from './admin/admin.module';
import { BasicAuthMiddleware } from './auth/basic-auth.middleware';
import { CallbacksModule } from './callbacks/callbacks.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { isSimAdminPath } from './common/paths';
import { SimConfig } from './config/sim-config';
import { SimConfigModule } from './config/sim-config.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { DownMiddleware } from './faults/down.middleware';
import { FaultsModule } from './faults/faults.module';
import { RequestLogMiddleware } from './requests-log/request-log.middleware';
import { RequestsLogModule } from './requests-log/requests-log.module';
import { ResourcesModule } from './resources/resources.module';

const ALL_ROUTES = { path: '{*path}', method: RequestMethod.ALL };

@Module({})
export class EscSimModule implements NestModule {
  static forRoot(config: SimConfig): DynamicModule {
    return {
      module: EscSimModule,
      imports: [
        SimConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            name: 'esc-sim',
            level: config.logLevel,
            redact: { paths: ['req.headers.authorization'], censor: '[REDACTED]' },
            autoLogging: { ignore: (req: IncomingMessage) => isSimAdminPath(req.url ?? '') },
          },
          forRoutes: [ALL_ROUTES],
        }),
        RequestsLogModule,
        FaultsModule,
        CallbacksModule,
        // Before ResourcesModule: its /v0/{internalTenantId}/... routes must not shadow deployments'.
        DeploymentsModule,
        ResourcesModule,
        AdminModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: HttpExceptionFilter }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Logging first, so requests refused by a down period or the auth check are in the request log too.
    consumer.apply(RequestLogMiddleware, DownMiddleware, BasicAuthMiddleware).forRoutes(ALL_ROUTES);
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { LoggerModule } from 'nestjs-pino';

/** Paths pino blanks in every line: credentials and tokens never reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.query.token',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'ESC_PASSWORD',
  '*.ESC_PASSWORD',
  'Bearer_Token',
  '*.Bearer_Token',
];

/** JSON logs (pino) for an app; `app` goes on every line so merged logs stay readable. */
@Module({})
export class LoggingModule {
  static forApp(app: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            pinoHttp: {
              level: config.logLevel,
              base: { app },
              redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
              // ESC callbacks carry a secret token in the path: log the route, not the URL
              serializers: {
                req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: maskCallbackToken(req.url) }),
              },
              autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' || req.url === '/metrics' },
            },
          }),
        }),
      ],
      exports: [LoggerModule],
    };
  }
}

export function maskCallbackToken(url: string): string {
  return url.replace(/(\/esc\/callbacks\/)[^/?]+/, '$1[token]');
}

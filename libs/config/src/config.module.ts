import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config.service';

@Global()
@Module({})
export class ConfigModule {
  /** Pass a ready AppConfig (tests) or let it read process.env once (apps). */
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useFactory: () => config ?? AppConfig.fromEnv() }],
      exports: [AppConfig],
    };
  }
}

import { DynamicModule, Global, Module } from '@nestjs/common';
import { SIM_CONFIG, SimConfig } from './sim-config';

@Global()
@Module({})
export class SimConfigModule {
  static forRoot(config: SimConfig): DynamicModule {
    return {
      module: SimConfigModule,
      providers: [{ provide: SIM_CONFIG, useValue: config }],
      exports: [SIM_CONFIG],
    };
  }
}

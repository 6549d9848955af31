import { Module } from '@nestjs/common';
import { ConnectionsModule } from '@cam-esc/connections';
import { EscModule } from '@cam-esc/esc';
import { DriftCheck } from './drift-check';
import { ResourceDriftCheck } from './resource-drift-check';

@Module({ imports: [EscModule, ConnectionsModule], providers: [DriftCheck, ResourceDriftCheck], exports: [DriftCheck] })
export class DriftModule {}

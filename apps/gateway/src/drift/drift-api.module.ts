import { Module } from '@nestjs/common';
import { DriftModule } from '@cam-esc/drift';
import { DriftController } from './drift.controller';
import { RepairDriftUseCase } from './usecases/repair-drift.usecase';
import { ReportDriftUseCase } from './usecases/report-drift.usecase';

/** /cam/api/v1/drift. */
@Module({ imports: [DriftModule], controllers: [DriftController], providers: [ReportDriftUseCase, RepairDriftUseCase] })
export class DriftApiModule {}

import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConnectionsModule } from '@cam-esc/connections';
import { RequireJsonMiddleware } from '../common/require-json.middleware';
import { SharedParametersController } from './shared-parameters.controller';
import { CreateSharedParameterUseCase } from './usecases/create-shared-parameter.usecase';
import { DeleteSharedParameterUseCase } from './usecases/delete-shared-parameter.usecase';
import { GetSharedParameterUseCase } from './usecases/get-shared-parameter.usecase';
import { ListSharedParametersUseCase } from './usecases/list-shared-parameters.usecase';
import { UpdateSharedParameterUseCase } from './usecases/update-shared-parameter.usecase';

/** /cam/api/v1/sharedparameters. */
@Module({
  imports: [ConnectionsModule],
  controllers: [SharedParametersController],
  providers: [CreateSharedParameterUseCase, ListSharedParametersUseCase, GetSharedParameterUseCase, UpdateSharedParameterUseCase, DeleteSharedParameterUseCase],
})
export class SharedParametersApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequireJsonMiddleware).forRoutes(SharedParametersController);
  }
}

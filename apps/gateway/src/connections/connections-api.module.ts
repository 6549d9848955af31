import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConnectionsModule } from '@cam-esc/connections';
import { EscModule } from '@cam-esc/esc';
import { RequireJsonMiddleware } from '../common/require-json.middleware';
import { ConnectionsController } from './connections.controller';
import { ConnectionUsers } from './usecases/connection-users';
import { CreateConnectionUseCase } from './usecases/create-connection.usecase';
import { DeleteConnectionUseCase } from './usecases/delete-connection.usecase';
import { GetConnectionUseCase } from './usecases/get-connection.usecase';
import { ListConnectionsUseCase } from './usecases/list-connections.usecase';
import { TestConnectionUseCase } from './usecases/test-connection.usecase';
import { UpdateConnectionUseCase } from './usecases/update-connection.usecase';

/** /cam/api/v1/connections. */
@Module({
  imports: [ConnectionsModule, EscModule],
  controllers: [ConnectionsController],
  providers: [ConnectionUsers, CreateConnectionUseCase, ListConnectionsUseCase, GetConnectionUseCase, UpdateConnectionUseCase, DeleteConnectionUseCase, TestConnectionUseCase],
})
export class ConnectionsApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequireJsonMiddleware).forRoutes(ConnectionsController);
  }
}

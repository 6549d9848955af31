import { Module } from '@nestjs/common';
import { SecretsModule } from '@cam-esc/secrets';
import { EscConnections } from './esc-connections';
import { SharedParameters } from './shared-parameters';

/** Named ESC connections and shared parameters, secrets opened; needs ConfigModule and PersistenceModule (both global). */
@Module({
  imports: [SecretsModule],
  providers: [EscConnections, SharedParameters],
  exports: [EscConnections, SharedParameters, SecretsModule],
})
export class ConnectionsModule {}

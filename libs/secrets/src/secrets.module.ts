import { Module } from '@nestjs/common';
import { AppConfig } from '@cam-esc/config';
import { loadMasterKey } from './master-key';
import { SecretBox } from './secret-box';

/** SecretBox with the process's master key; importing it makes a missing key stop the boot. */
@Module({
  providers: [{ provide: SecretBox, useFactory: (config: AppConfig) => new SecretBox(loadMasterKey(config), config.previousSecretsKeys), inject: [AppConfig] }],
  exports: [SecretBox],
})
export class SecretsModule {}

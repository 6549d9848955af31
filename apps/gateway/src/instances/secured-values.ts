import { Injectable } from '@nestjs/common';
import { securedValues } from '@cam-esc/catalog';
import { ActionInstance } from '@cam-esc/persistence';
import { openActionParameters, SecretBox } from '@cam-esc/secrets';

/**
 * The secured values of an instance's actions, opened to be masked wherever ESC echoed them (its
 * callbacks, the VMs and outputs it reported). Never answered themselves.
 */
@Injectable()
export class SecuredValues {
  constructor(private readonly box: SecretBox) {}

  of(actions: ReadonlyArray<Pick<ActionInstance, 'parameters' | 'securedNames' | 'secretsSealed'>>): string[] {
    return [...new Set(actions.flatMap((a) => securedValues(openActionParameters(this.box, a), a.securedNames)))];
  }
}

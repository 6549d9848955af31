import { Injectable } from '@nestjs/common';
import { Prisma, SharedParameter, SharedParameterRepository } from '@cam-esc/persistence';
import { DomainException } from '@cam-esc/errors';
import { SecretBox, SecretBoxError } from '@cam-esc/secrets';

export type SharedValue = string | number | boolean;

export interface ResolvedSharedParameter {
  datatype: string;
  /** Every value in clear, secured ones included. */
  values: Record<string, SharedValue>;
  securedKeys: string[];
}

/**
 * CAM shared parameters with their secured values sealed at rest: a secured value is stored as
 * SecretBox.seal of its JSON (so a secured number stays a number).
 */
@Injectable()
export class SharedParameters {
  constructor(
    private readonly parameters: SharedParameterRepository,
    private readonly box: SecretBox,
  ) {}

  /** The tenant's shared parameter `name` with its values in clear, or null when there is none. */
  async resolve(tenantId: string, name: string): Promise<ResolvedSharedParameter | null> {
    const row = await this.parameters.findByName(tenantId, name);
    return row ? this.reveal(row) : null;
  }

  /** A stored shared parameter's values in clear; a secret that cannot be opened is a CONFLICT naming the parameter. */
  reveal(row: Pick<SharedParameter, 'name' | 'datatype' | 'values' | 'securedKeys'>): ResolvedSharedParameter {
    const stored = row.values as Record<string, SharedValue>;
    try {
      const values = Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, row.securedKeys.includes(k) ? (JSON.parse(this.box.open(String(v))) as SharedValue) : v]));
      return { datatype: row.datatype, values, securedKeys: [...row.securedKeys] };
    } catch (e) {
      if (!(e instanceof SecretBoxError)) throw e;
      throw DomainException.conflict(`the secured values of shared parameter '${row.name}' cannot be opened (${e.message}): store them again`);
    }
  }

  /** The values as stored: those of securedKeys sealed. */
  seal(values: Record<string, SharedValue>, securedKeys: string[]): Prisma.InputJsonObject {
    return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, securedKeys.includes(k) ? this.box.seal(JSON.stringify(v)) : v]));
  }
}

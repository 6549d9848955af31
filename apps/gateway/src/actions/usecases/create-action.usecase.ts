import { Injectable } from '@nestjs/common';
import { CamAction } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { SERVICE_KIND } from '@cam-esc/persistence';
import { CreatedService, CreateServiceUseCase } from '../../catalog/usecases/create-service.usecase';

/** The category of the services that hold standalone actions (they are not listed in the catalog). */
export const STANDALONE_ACTION_CATEGORY = 'StandaloneActions';

/**
 * Actions/createAction: an action with its own flow, independent of any service. As CAM does,
 * it is kept wrapped in a service manifest of its own (hidden from the catalog), so it is
 * validated like a service's action and runs through the same engine; its id is that manifest's.
 */
@Injectable()
export class CreateActionUseCase {
  constructor(private readonly createService: CreateServiceUseCase) {}

  async execute(tenantId: string, namespaceId: string, body: unknown): Promise<CreatedService> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw DomainException.invalid('body: must be an action object: { name, type, input_parameters, flow }', { field: 'body' });
    const action = body as CamAction;
    if (typeof action.name !== 'string' || !action.name.trim() || action.name.length > 200) {
      throw DomainException.invalid('name: is required: the action name, a non-empty string of at most 200 characters', { field: 'name' });
    }
    // a standalone action runs as the provision of an instance of its own
    const wrapped = {
      service: {
        specVersion: 'v3',
        version: '1.0.0.0',
        catalog_metadata: { name: `action:${action.name}`, description: action.description ?? '', category: STANDALONE_ACTION_CATEGORY, image: 'serviceicon_1.svg' },
        actions: [{ ...action, type: 'provision' }],
        plans: [{ name: 'Standard', description: 'Standalone action', actions: [], plan_parameters: [] }],
      },
    };
    try {
      const created = await this.createService.execute({ tenantId, namespaceId, body: wrapped, kind: SERVICE_KIND.StandaloneAction });
      if (action.type !== undefined && action.type !== 'provision') {
        created.warnings.unshift(`type '${String(action.type)}' is stored as 'provision': a standalone action runs as the provision of an instance of its own \n`);
      }
      return created;
    } catch (e) {
      // the wrapper's field names are not the client's: name the action's own fields
      if (e instanceof DomainException) throw new DomainException(e.code, e.message.replace(/^service\.actions\[0\]\./, '').replace(/^service\.catalog_metadata\.name: a service named 'action:/, "name: an action named '"), e.details);
      throw e;
    }
  }
}

import { AddServiceVersionUseCase } from './usecases/add-service-version.usecase';
import { CopyServiceVersionUseCase } from './usecases/copy-service-version.usecase';
import { CreateServiceUseCase } from './usecases/create-service.usecase';
import { DeleteServiceVersionUseCase } from './usecases/delete-service-version.usecase';
import { DeleteServiceUseCase } from './usecases/delete-service.usecase';
import { DuplicateServiceUseCase } from './usecases/duplicate-service.usecase';
import { ListServicesUseCase } from './usecases/list-services.usecase';
import { PublishVersionUseCase } from './usecases/publish-version.usecase';
import { RetireVersionUseCase } from './usecases/retire-version.usecase';
import { SetNamespacesUseCase } from './usecases/set-namespaces.usecase';
import { SetRetireOnDateUseCase } from './usecases/set-retire-on-date.usecase';
import { UnretireVersionUseCase } from './usecases/unretire-version.usecase';
import { UpdateServiceDetailsUseCase } from './usecases/update-service-details.usecase';
import { UpdateServiceVersionUseCase } from './usecases/update-service-version.usecase';

export { ServiceDocumentIntake } from './service-document-intake';

/** One use case per catalog operation. */
export const CATALOG_USE_CASES = [
  CreateServiceUseCase,
  ListServicesUseCase,
  AddServiceVersionUseCase,
  UpdateServiceDetailsUseCase,
  UpdateServiceVersionUseCase,
  DeleteServiceUseCase,
  DeleteServiceVersionUseCase,
  DuplicateServiceUseCase,
  CopyServiceVersionUseCase,
  SetNamespacesUseCase,
  PublishVersionUseCase,
  RetireVersionUseCase,
  UnretireVersionUseCase,
  SetRetireOnDateUseCase,
];

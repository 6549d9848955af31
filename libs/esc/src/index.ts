export * from './callbacks/esc-callback';
export * from './callbacks/stages';
export * from './client/esc-client';
export * from './datamodel/esc-template';
export * from './esc.module';
export * from './datamodel/deployment-state';
